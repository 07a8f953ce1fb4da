#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QString>

namespace wemoe::ui {

// What opening a demo zoo will cost, said before it starts (the start page, the
// File menu): "ready" when the zoo is in the cache; otherwise the wall time of
// the last build on this machine, or, before any, the time measured on two
// cores for the docs (zoo/zoo_build_time.h). Never a guess.
struct DemoZooEstimate
{
    Q_DECLARE_TR_FUNCTIONS(wemoe::ui::DemoZooEstimate)

public:
    enum class Source {
        Cached,      // built already: opens at once
        ThisMachine, // the last build here, recorded by recordDemoZooBuild()
        Measured,    // the docs' figure
    };

    bool quick = false;
    Source source = Source::Measured;
    double seconds = 0; // the build's wall time; 0 when cached

    // The estimate now: looks in the zoo cache and the user's settings.
    static DemoZooEstimate current(bool quick);

    // One sentence for the start page and tooltips: "Builds first: about 3 min
    // on this machine (last build)." / "Ready: …, it opens at once."
    QString text() const;
    // A few words for a button or menu entry: "ready", "~10 s", "~3 min".
    QString brief() const;
};

// True when the zoo of that recipe (default options, as the studio builds it)
// is complete in the cache.
bool isDemoZooCached(bool quick);
// Remembers a finished build's wall time (QSettings "zoo/buildSeconds/quick"
// or ".../standard"); the next estimates quote it.
void recordDemoZooBuild(bool quick, double seconds);
// The recorded wall time, or 0 when none was recorded on this machine.
double recordedDemoZooBuildSeconds(bool quick);

} // namespace wemoe::ui
