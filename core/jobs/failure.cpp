#include "jobs/failure.h"

#include "common/error.h"

#include <QtCore/QCoreApplication>

#include <c10/util/Exception.h>

#include <new>

namespace wemoe {

WorkOutcome runGuarded(const std::function<void()> &work)
{
    using State = WorkOutcome::State;
    try {
        work();
        return {State::Finished, {}};
    } catch (const Cancelled &) {
        return {State::Cancelled, {}};
    } catch (const Error &e) {
        return {State::Failed, e.message()};
    } catch (const c10::Error &e) {
        return {State::Failed, QCoreApplication::translate("wemoe::WorkOutcome", "LibTorch: %1")
                                   .arg(QString::fromStdString(e.what_without_backtrace()))};
    } catch (const std::bad_alloc &) {
        return {State::Failed, QCoreApplication::translate("wemoe::WorkOutcome", "out of memory")};
    } catch (const std::exception &e) {
        return {State::Failed, QString::fromLocal8Bit(e.what())};
    } catch (...) {
        return {State::Failed, QCoreApplication::translate("wemoe::WorkOutcome", "unknown error")};
    }
}

} // namespace wemoe
