#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe::ui {

// What the workspace tree shows about a checkpoint, in plain Qt types.
struct CheckpointInfo
{
    QString name;
    QString path;
    QString architecture; // ClipVisionConfig::describe()
    qint64 parameters = 0;
    qint64 bytes = 0;
    int tensors = 0;
    QString status; // "ok", or what is wrong
    bool ok = true;
};

struct TaskInfo
{
    QString name;
    CheckpointInfo checkpoint;
    QString headPath;
    QString headType; // "clip", "linear" or "zero-shot" (built from CLIP's text tower; headPath is its cache)
    int classes = 0;
    QString testData;     // where the test images are, for people (a folder, a file, ORG/NAME:SPLIT)
    QString testDataPath; // the folder, or the first Parquet file
    bool testParquet = false;
    int testFiles = 0;       // Parquet files
    QStringList testClasses; // the classes the test data is labelled with, in the head's order
    QString trainData;       // where the training images are; empty when the pool names none
    int testImages = 0;
    QString testStatus; // "ok", or why the folder cannot be evaluated
    bool testOk = true;
};

// A loaded pool as the workspace panel shows it.
struct WorkspaceInfo
{
    QString poolPath;
    QString poolName;
    CheckpointInfo pretrained;
    QVector<TaskInfo> tasks;
    int warnings = 0;

    bool isEmpty() const { return poolPath.isEmpty(); }
};

} // namespace wemoe::ui
