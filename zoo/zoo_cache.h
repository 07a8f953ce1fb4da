#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace wemoe {

// Where built demo zoos live: <GenericCacheLocation>/wemoe-studio
// (~/.cache/wemoe-studio on Linux).
QString defaultZooCacheFolder();

// The file whose presence says a zoo folder was built to the end. It is the
// last file written into the staging folder, before the folder is renamed.
QString zooCompleteMarker(const QString &zooFolder);
bool isCompleteZoo(const QString &zooFolder);

// A zoo is built in a hidden folder beside its final place,
// <parent>/.<name>.partial, and swapped in by commit(). Until then the final
// folder is untouched, and an uncommitted staging folder (an error, disk
// full, cancellation) is removed by the destructor, so a half-written zoo is
// never found where a finished one belongs. A staging folder left by a killed
// process is removed when the next build starts.
class ZooStaging
{
public:
    // Creates a fresh, empty staging folder for `finalFolder`. Throws wemoe::Error.
    explicit ZooStaging(QString finalFolder);
    ~ZooStaging();
    ZooStaging(const ZooStaging &) = delete;
    ZooStaging &operator=(const ZooStaging &) = delete;

    QString folder() const { return m_staging; }
    QString finalFolder() const { return m_final; }

    // Writes the completion marker (holding `marker`) and renames the staging
    // folder to the final one, replacing whatever was there (a forced
    // rebuild, or an incomplete folder). Throws wemoe::Error; on failure the
    // previous final folder is put back when it can be.
    void commit(const QByteArray &marker);

private:
    QString m_final;
    QString m_staging;
    bool m_committed = false;
};

} // namespace wemoe
