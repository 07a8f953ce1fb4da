#include "moe/adaptation_history.h"

#include "common/error.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

namespace wemoe {

QString AdaptationRun::describe() const
{
    QString text = QStringLiteral("%1 steps").arg(steps);
    if (learningRate > 0.0)
        text += QStringLiteral(", lr %1").arg(learningRate);
    if (diversityWeight > 0.0)
        text += QStringLiteral(", diversity %1").arg(diversityWeight);
    return text;
}

int AdaptationHistory::totalSteps() const
{
    int total = 0;
    for (const AdaptationRun &run : runs)
        total += run.steps;
    return total;
}

AdaptationHistory AdaptationHistory::followedBy(const AdaptationRun &run) const
{
    AdaptationHistory next = *this;
    next.runs.append(run);
    return next;
}

QString AdaptationHistory::describe() const
{
    if (runs.isEmpty())
        return QStringLiteral("0 steps");
    QStringList parts;
    for (const AdaptationRun &run : runs)
        parts << run.describe();
    return parts.join(QStringLiteral(" + "));
}

std::string AdaptationHistory::toJson() const
{
    QJsonArray array;
    for (const AdaptationRun &run : runs)
        array.append(QJsonObject{{QStringLiteral("steps"), run.steps},
                                 {QStringLiteral("lr"), run.learningRate},
                                 {QStringLiteral("diversity"), run.diversityWeight}});
    return QJsonDocument(array).toJson(QJsonDocument::Compact).toStdString();
}

AdaptationHistory AdaptationHistory::fromJson(const std::string &json, const QString &source)
{
    const auto bad = [&source](const QString &why) {
        return Error(source, QStringLiteral("adaptation history: %1").arg(why));
    };
    QJsonParseError parseError;
    const auto document = QJsonDocument::fromJson(QByteArray::fromStdString(json), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isArray())
        throw bad(QStringLiteral("not a JSON array"));
    AdaptationHistory history;
    for (const QJsonValue &value : document.array()) {
        const QJsonObject object = value.toObject();
        if (!object.value(QStringLiteral("steps")).isDouble())
            throw bad(QStringLiteral("a run without a step count"));
        AdaptationRun run;
        run.steps = object.value(QStringLiteral("steps")).toInt();
        run.learningRate = object.value(QStringLiteral("lr")).toDouble();
        run.diversityWeight = object.value(QStringLiteral("diversity")).toDouble();
        if (run.steps < 0 || run.learningRate < 0.0 || run.diversityWeight < 0.0)
            throw bad(QStringLiteral("negative steps, learning rate or diversity weight"));
        history.runs.append(run);
    }
    return history;
}

} // namespace wemoe
