#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <yaml-cpp/node/node.h>

#include <optional>

namespace wemoe {

// YAML files come from the internet (FusionBench's configs, a colleague's
// copy), so they are read within bounds: yaml-cpp 0.7 parses recursively and
// only stops at 2000 levels, which a small thread stack may not hold, and an
// alias may make a node its own child, so walking a document without a depth
// limit may never end.

// Larger than any model-pool config (FusionBench's are a few kB).
constexpr qint64 kMaxYamlFileBytes = 4LL << 20;
// Deeper than any config nests (FusionBench's: 4 levels).
constexpr int kMaxYamlDepth = 64;

// Parses `text` as one YAML document. Throws wemoe::Error naming `source`:
// larger than kMaxYamlFileBytes, not UTF-8, empty, more than one document,
// nested deeper than kMaxYamlDepth, or not YAML ("line L, column C: <yaml-cpp's
// reason>"). The parse itself never nests deeper than kMaxYamlDepth.
YAML::Node parseYamlDocument(const QByteArray &text, const QString &source);

// Reads a regular file (core/io/regular_file.h) of at most kMaxYamlFileBytes
// and parses it as above.
YAML::Node readYamlFile(const QString &path);

// The value of `key` in a map node, found by comparing scalar keys (so a
// key that is itself a map or a list never reaches yaml-cpp's conversions);
// nullopt when `map` is not a map or has no such key. With duplicate keys,
// the first.
std::optional<YAML::Node> yamlMapValue(const YAML::Node &map, const char *key);

// A scalar's text (UTF-8 decoded).
QString yamlText(const YAML::Node &scalar);

} // namespace wemoe
