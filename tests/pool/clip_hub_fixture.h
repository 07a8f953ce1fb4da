#pragma once

#include "text/clip_text_config.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe::test {

// A researcher's setting in miniature: a Hugging Face cache holding a tiny
// CLIPModel (pytorch_model.bin written by LibTorch's torch.save-compatible
// pickler, config.json with text_config and vision_config, vocab.json,
// merges.txt) and one fine-tuned CLIPVisionModel per task (model.safetensors,
// no visual_projection), each reached through refs/main; test images per task
// (a synthetic pool's); and pool.json naming the models by hub name with
// zero-shot heads. Also each task's test images as a Hugging Face dataset in
// the cache (datasets--test-org--images-TASK: two snappy Parquet shards of the
// test split, class names in the metadata, rows in the image folder's order)
// and pool-parquet.json, the same pool reading them ("test-org/images-TASK:test")
// with zero-shot classes from the metadata.
struct ClipHubFixture
{
    QString cacheFolder; // set HF_HUB_CACHE to it
    QString poolFile;
    QString parquetPoolFile;
    QStringList datasetNames; // "test-org/images-TASK", per task
    QString clipName;         // "test-org/clip-tiny"
    QString clipFolder;       // its snapshot folder
    QStringList taskNames;
    QStringList templates; // the pool's zero-shot templates
    ClipTextConfig textConfig;
};

// Writes the fixture into the empty folder `root`. Deterministic.
ClipHubFixture writeClipHubFixture(const QString &root, int tasks = 2);

// The vocabulary and merges the fixture's tokenizer is made of: every byte's
// symbol and its end-of-word form, a few merges ("photo", "of"), then
// <|startoftext|> and <|endoftext|> (the largest id, as in CLIP).
int fixtureVocabularySize();

} // namespace wemoe::test
