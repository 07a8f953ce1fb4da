# One precompiled header with torch and QtCore, built once and reused by every
# target (a translation unit that parses torch/torch.h costs ~20 s otherwise).
add_library(wemoe_pch OBJECT ${CMAKE_CURRENT_LIST_DIR}/pch_anchor.cpp)
target_link_libraries(wemoe_pch PUBLIC Qt6::Core ${TORCH_LIBRARIES})

# ATen's at::parallel_for is inline: compiled without OpenMP flags, it runs
# every loop of ours on one thread (LibTorch's own loops are unaffected). The
# PCH and every target reusing it must agree on the flag.
find_package(OpenMP COMPONENTS CXX)
if(OpenMP_CXX_FOUND)
  target_link_libraries(wemoe_pch PUBLIC OpenMP::OpenMP_CXX)
endif()
target_precompile_headers(wemoe_pch PUBLIC
  <torch/torch.h>
  <QtCore/QString>
  <QtCore/QStringList>
  <QtCore/QJsonObject>
  <QtCore/QJsonArray>
  <QtCore/QJsonDocument>
  <QtCore/QFile>
  <QtCore/QDir>
  <QtCore/QFileInfo>
  <functional>
  <map>
  <string>
  <vector>)

# Attach the shared precompiled header to a target.
function(wemoe_use_pch target)
  target_precompile_headers(${target} REUSE_FROM wemoe_pch)
  if(OpenMP_CXX_FOUND)
    target_link_libraries(${target} PRIVATE OpenMP::OpenMP_CXX)
  endif()
endfunction()
