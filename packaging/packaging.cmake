# Installation of the desktop integration and the Debian package description.
# Included from the top-level CMakeLists.txt right before include(CPack).

include(GNUInstallDirs)

if(WEMOE_BUILD_GUI)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/org.wemoe.Studio.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/org.wemoe.Studio.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/wemoe-studio.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
          RENAME org.wemoe.Studio.svg)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME "wemoe-studio")
set(CPACK_PACKAGE_VENDOR "The WEMoE Studio developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "The WEMoE Studio developers")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "wemoe-studio")
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "DEB")
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/\\\\.cache/")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Merge fine-tuned vision transformers into one multi-task model\n\
WEMoE Studio merges fine-tuned copies of one pretrained CLIP vision\n\
transformer (task arithmetic, TIES, DARE; AdaMerging and weight-ensembling\n\
mixtures of experts next) and evaluates the merged models. It ships the\n\
wemoe command line and the wemoe-studio desktop application.")
# Library dependencies (libtorch, Qt, OpenCV, QCustomPlot) are read from the binaries.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The Chinese interface needs a CJK font, and Qt's own dialogs their translations.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk, qt6-translations-l10n")
