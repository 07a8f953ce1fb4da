#include "pool/yaml_document.h"

#include "common/error.h"
#include "io/regular_file.h"

#include <QtCore/QStringDecoder>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/node/impl.h>
#include <yaml-cpp/node/iterator.h>
#include <yaml-cpp/node/parse.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <string>

namespace wemoe {

namespace {

// Counts documents and nesting while yaml-cpp parses, and stops the parse (by
// throwing from the event) as soon as the nesting passes the limit, before
// the parser recurses any deeper.
class NestingLimit : public YAML::EventHandler
{
public:
    int documents = 0;

    void OnDocumentStart(const YAML::Mark &) override { ++documents; }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark &, YAML::anchor_t) override { }
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override { }
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override { }
    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
        enter(mark);
    }
    void OnSequenceEnd() override { --m_depth; }
    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override
    {
        enter(mark);
    }
    void OnMapEnd() override { --m_depth; }

private:
    void enter(const YAML::Mark &mark)
    {
        if (++m_depth > kMaxYamlDepth)
            throw YAML::ParserException(mark, "nested deeper than " + std::to_string(kMaxYamlDepth) + " levels");
    }

    int m_depth = 0;
};

QString describe(const YAML::Exception &error)
{
    const QString reason = QString::fromStdString(error.msg);
    if (error.mark.is_null())
        return reason;
    return QStringLiteral("line %1, column %2: %3")
        .arg(QString::number(error.mark.line + 1), QString::number(error.mark.column + 1), reason);
}

} // namespace

YAML::Node parseYamlDocument(const QByteArray &text, const QString &source)
{
    if (text.size() > kMaxYamlFileBytes)
        throw Error(source, QStringLiteral("is %1, more than a YAML config can be (%2)")
                                .arg(byteSizeText(text.size()), byteSizeText(kMaxYamlFileBytes)));
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(text); // decode() is lazy: the conversion runs here
    if (decoder.hasError())
        throw Error(source, QStringLiteral("is not UTF-8 text, so not a YAML config"));

    const std::string bytes = text.toStdString();
    try {
        NestingLimit limit;
        std::istringstream stream(bytes);
        YAML::Parser parser(stream);
        while (limit.documents < 2 && parser.HandleNextDocument(limit)) { }
        if (limit.documents == 0)
            throw Error(source, QStringLiteral("is empty (no YAML document)"));
        if (limit.documents > 1)
            throw Error(source, QStringLiteral("holds several YAML documents (---); a config is one"));
        // Within the limit: yaml-cpp's own parse recurses no deeper than the check did.
        return YAML::Load(bytes);
    } catch (const YAML::Exception &error) {
        throw Error(source, QStringLiteral("not valid YAML: %1").arg(describe(error)));
    }
}

YAML::Node readYamlFile(const QString &path)
{
    return parseYamlDocument(readRegularFile(path, kMaxYamlFileBytes), path);
}

std::optional<YAML::Node> yamlMapValue(const YAML::Node &map, const char *key)
{
    if (!map.IsMap())
        return std::nullopt;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key)
            return it->second;
    }
    return std::nullopt;
}

QString yamlText(const YAML::Node &scalar)
{
    return QString::fromStdString(scalar.Scalar());
}

} // namespace wemoe
