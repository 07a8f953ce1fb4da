#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// What Hugging Face's `datasets` records about a dataset's columns: the JSON it
// stores under the "huggingface" key of a Parquet file's key-value metadata,
// {"info": {"features": {"image": {"_type": "Image"},
//                        "label": {"_type": "ClassLabel", "names": ["apple", ...]}}}}.
struct HuggingFaceFeatures
{
    QString imageColumn;    // the Image feature's column ("image"); empty when there is none
    QString labelColumn;    // the ClassLabel feature's column ("label"); empty when there is none
    QStringList classNames; // that ClassLabel's names, in label order
};

// Reads the metadata JSON. Features of other types are ignored; when several
// features are images or class labels, the one named "image" / "label" is
// taken, else the first. Throws wemoe::Error(where, ...) for JSON that does
// not parse, a "features" that is not an object, or a ClassLabel whose names
// are not distinct non-empty strings.
HuggingFaceFeatures parseHuggingFaceFeatures(const QString &json, const QString &where);

} // namespace wemoe
