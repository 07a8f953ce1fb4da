#pragma once

#include <QtCore/QString>
#include <QtCore/QVector>

#include <string>

namespace wemoe {

// One run of router adaptation: what a table row or a model file has to say
// about it so that two differently adapted models never look alike.
struct AdaptationRun
{
    int steps = 0;
    double learningRate = 0.0;    // 0 when unknown (files written before it was recorded)
    double diversityWeight = 0.0; // 0 is the paper's objective

    // "100 steps, lr 0.001, diversity 1"; the paper's objective adds nothing.
    QString describe() const;
};

// The runs a WEMoE model's routers went through, oldest first: `wemoe adapt
// --model` continues a model and appends a run, possibly with another
// objective. Stored in the model file's metadata as JSON.
struct AdaptationHistory
{
    QVector<AdaptationRun> runs;

    int totalSteps() const;
    AdaptationHistory followedBy(const AdaptationRun &run) const;
    // "0 steps" for a model never adapted; runs joined by " + ".
    QString describe() const;

    std::string toJson() const;
    // Throws wemoe::Error naming `source` when the text is not such a list.
    static AdaptationHistory fromJson(const std::string &json, const QString &source);
};

} // namespace wemoe
