#include "models/adaptation_curve.h"

#include "models/heat_matrix.h"

namespace wemoe::ui {

QString AdaptationCurve::toCsv() const
{
    QStringList header{QStringLiteral("step"), QStringLiteral("loss")};
    for (int t = 0; t < taskLoss.size(); ++t)
        header << csvField(t < tasks.size() ? tasks.at(t) : QString::number(t));
    QString text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int s = 0; s < steps.size(); ++s) {
        QStringList cells{QString::number(steps.at(s), 'g', 9),
                          s < loss.size() ? QString::number(loss.at(s), 'g', 9) : QString()};
        for (const QVector<double> &curve : taskLoss)
            cells << (s < curve.size() ? QString::number(curve.at(s), 'g', 9) : QString());
        text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return text;
}

} // namespace wemoe::ui
