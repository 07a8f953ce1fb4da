#include "common/error.h"
#include "io/safetensors.h"
#include "io_test_util.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtCore/QtEndian>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <atomic>
#include <cstring>

using namespace wemoe;
using namespace wemoe::test;

Q_DECLARE_METATYPE(c10::ScalarType)

namespace {

QByteArray lengthPrefix(quint64 length)
{
    uchar bytes[8];
    qToLittleEndian<quint64>(length, bytes);
    return QByteArray(reinterpret_cast<const char *>(bytes), 8);
}

// A safetensors file by hand: 8-byte little-endian length, header, data.
// `pad` adds spaces so the data starts 8-aligned, as writers do.
QByteArray craft(QByteArray header, const QByteArray &data, bool pad = true)
{
    while (pad && header.size() % 8 != 0)
        header.append(' ');
    return lengthPrefix(static_cast<quint64>(header.size())) + header + data;
}

QByteArray zeros(int n)
{
    return QByteArray(n, '\0');
}

// Random values of any dtype, chosen so every one is a valid value of it.
torch::Tensor sample(c10::ScalarType type, c10::IntArrayRef shape, quint64 seed)
{
    auto generator = at::detail::createCPUGenerator(seed);
    if (type == torch::kBool)
        return at::randint(0, 2, shape, generator, torch::TensorOptions(torch::kLong)).to(torch::kBool);
    if (c10::isFloatingType(type))
        return at::normal(0.0, 10.0, shape, generator).to(type);
    return at::randint(-100, 100, shape, generator, torch::TensorOptions(torch::kLong)).to(type);
}

QJsonObject headerOf(const QString &path, qint64 *headerLength = nullptr)
{
    const QByteArray bytes = readBytes(path);
    const auto length = qFromLittleEndian<quint64>(bytes.constData());
    if (headerLength)
        *headerLength = static_cast<qint64>(length);
    return QJsonDocument::fromJson(bytes.mid(8, static_cast<qsizetype>(length))).object();
}

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dtypeNames()
    {
        QCOMPARE(safetensorsDtypeName(torch::kFloat64), QStringLiteral("F64"));
        QCOMPARE(safetensorsDtypeName(torch::kFloat32), QStringLiteral("F32"));
        QCOMPARE(safetensorsDtypeName(torch::kFloat16), QStringLiteral("F16"));
        QCOMPARE(safetensorsDtypeName(torch::kBFloat16), QStringLiteral("BF16"));
        QCOMPARE(safetensorsDtypeName(torch::kInt64), QStringLiteral("I64"));
        QCOMPARE(safetensorsDtypeName(torch::kInt32), QStringLiteral("I32"));
        QCOMPARE(safetensorsDtypeName(torch::kInt16), QStringLiteral("I16"));
        QCOMPARE(safetensorsDtypeName(torch::kInt8), QStringLiteral("I8"));
        QCOMPARE(safetensorsDtypeName(torch::kUInt8), QStringLiteral("U8"));
        QCOMPARE(safetensorsDtypeName(torch::kBool), QStringLiteral("BOOL"));
        QVERIFY(!errorOf([] { safetensorsDtypeName(torch::kComplexFloat); }).isEmpty());
    }

    void roundTripEveryDtype_data()
    {
        QTest::addColumn<c10::ScalarType>("type");
        for (const auto type : {torch::kFloat64, torch::kFloat32, torch::kFloat16, torch::kBFloat16, torch::kInt64,
                                torch::kInt32, torch::kInt16, torch::kInt8, torch::kUInt8, torch::kBool})
            QTest::newRow(c10::toString(type)) << type;
    }

    void roundTripEveryDtype()
    {
        QFETCH(c10::ScalarType, type);
        QTemporaryDir dir;
        const QString path = dir.filePath("t.safetensors");
        const torch::Tensor matrix = sample(type, {5, 3}, 1);
        TensorMap tensors{
            {"matrix", matrix},
            {"transposed", sample(type, {3, 5}, 2).t()},          // non-contiguous
            {"slice", sample(type, {4, 6}, 3).slice(1, 1, 5, 2)}, // strided, with a storage offset
            {"scalar", sample(type, {}, 4)},
            {"empty", torch::empty({0, 4}, torch::TensorOptions(type))},
        };
        QVERIFY(!tensors["transposed"].is_contiguous());
        writeSafetensors(path, tensors, {{"key", "value"}});
        const SafetensorsContents read = readSafetensors(path);
        QCOMPARE(read.tensors.size(), tensors.size());
        for (const auto &[name, original] : tensors) {
            const torch::Tensor &back = read.tensors.at(name);
            QVERIFY2(bitwiseEqual(back, original), name.c_str());
            QVERIFY2(torch::equal(back, original), name.c_str());
        }
        QCOMPARE(read.tensors.at("scalar").dim(), int64_t(0));
        QCOMPARE(read.tensors.at("empty").sizes(), c10::IntArrayRef({0, 4}));
        QCOMPARE(read.metadata.at("key"), std::string("value"));
        // The header names the dtype as the format spells it.
        QCOMPARE(headerOf(path)["matrix"].toObject()["dtype"].toString(), safetensorsDtypeName(type));
    }

    // The bytes on disk, checked against the format by hand.
    void fileLayout()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("t.safetensors");
        const TensorMap tensors{
            {"b", torch::tensor({1.0, -2.0}, torch::kFloat16)},
            {"a", torch::tensor({258}, torch::kInt32)},
        };
        writeSafetensors(path, tensors, {{"format", "pt"}});
        const QByteArray bytes = readBytes(path);
        qint64 length = 0;
        const QJsonObject header = headerOf(path, &length);
        QCOMPARE(length % 8, 0);
        QCOMPARE(bytes.size(), 8 + length + 8);
        const QByteArray text = bytes.mid(8, length);
        QVERIFY(text.trimmed().endsWith('}'));
        QCOMPARE(text.mid(text.trimmed().size()), QByteArray(length - text.trimmed().size(), ' '));
        // Name order: "a" first.
        QCOMPARE(header["a"].toObject()["data_offsets"].toArray(), QJsonArray({0, 4}));
        QCOMPARE(header["b"].toObject()["data_offsets"].toArray(), QJsonArray({4, 8}));
        QCOMPARE(header["b"].toObject()["dtype"].toString(), QStringLiteral("F16"));
        QCOMPARE(header["b"].toObject()["shape"].toArray(), QJsonArray({2}));
        QCOMPARE(header["__metadata__"].toObject()["format"].toString(), QStringLiteral("pt"));
        // 258 = 0x102 little-endian; F16 1.0 = 0x3C00, -2.0 = 0xC000.
        QCOMPARE(bytes.right(8), QByteArray::fromHex("02010000"
                                                     "003C00C0"));
    }

    void metadataWithEscapes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("t.safetensors");
        const Metadata metadata{
            {"quote\"back\\slash\nline\ttab", "ü → 😀 \x01 end"},
            {"class_names", "[\"a\",\"b\"]"},
        };
        writeSafetensors(path, {{"x", torch::ones({2})}}, metadata);
        QCOMPARE(readSafetensors(path).metadata, metadata);
        const SafetensorsContents noMetadata = [&] {
            writeSafetensors(path, {{"x", torch::ones({2})}});
            return readSafetensors(path);
        }();
        QVERIFY(noMetadata.metadata.empty());
        QVERIFY(!headerOf(path).contains("__metadata__"));
    }

    void readsHandCraftedFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("t.safetensors");
        QByteArray data = QByteArray::fromHex("0000c03f"
                                              "000040c0"); // 1.5f, -3.0f
        data += QByteArray::fromHex("0100");               // BOOL true, false
        writeBytes(path, craft(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                               R"("flags":{"shape":[2],"data_offsets":[8,10],"dtype":"BOOL"}})",
                               data));
        const SafetensorsContents read = readSafetensors(path);
        QCOMPARE(read.tensors.at("x")[0].item<float>(), 1.5f);
        QCOMPARE(read.tensors.at("x")[1].item<float>(), -3.0f);
        QCOMPARE(read.tensors.at("flags")[0].item<bool>(), true);
        QCOMPARE(read.tensors.at("flags")[1].item<bool>(), false);
    }

    void emptyFileOfTensors()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("t.safetensors");
        writeSafetensors(path, {});
        QVERIFY(readSafetensors(path).tensors.empty());
    }

    // Aligned data is used where it lies: the tensor's memory is the file's mapping.
    void alignedTensorsAreNotCopied()
    {
#ifndef Q_OS_LINUX
        QSKIP("reads /proc/self/maps");
#endif
        QTemporaryDir dir;
        const QString path = dir.filePath("big.safetensors");
        const torch::Tensor big = sample(torch::kFloat32, {256, 256}, 7);
        writeSafetensors(path, {{"big", big}, {"small", torch::ones({3}, torch::kFloat64)}});
        const QByteArray before = readBytes(path);
        torch::Tensor survivor;
        {
            SafetensorsContents read = readSafetensors(path);
            survivor = read.tensors.at("big");
            QCOMPARE(mappedFileOf(survivor.data_ptr()), QFileInfo(path).canonicalFilePath());
            QCOMPARE(mappedFileOf(read.tensors.at("small").data_ptr()), QFileInfo(path).canonicalFilePath());
        }
        // The mapping outlives the contents it came with.
        QVERIFY(bitwiseEqual(survivor, big));
        // Copy-on-write: an in-place op changes the tensor, never the file.
        survivor.add_(1.0f);
        QVERIFY(torch::allclose(survivor, big + 1.0f));
        QCOMPARE(readBytes(path), before);
        QVERIFY(bitwiseEqual(readSafetensors(path).tensors.at("big"), big));
    }

    // Data that is not aligned for its dtype cannot back a tensor in place; it is copied.
    void misalignedTensorsAreCopied()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("t.safetensors");
        const QByteArray data = QByteArray::fromHex("07"
                                                    "0000803f"
                                                    "00000040"); // 7, then 1.0f, 2.0f at offset 1
        writeBytes(path, craft(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                               R"("b":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}})",
                               data));
        const SafetensorsContents read = readSafetensors(path);
        QCOMPARE(read.tensors.at("a")[0].item<uint8_t>(), uint8_t(7));
        const torch::Tensor b = read.tensors.at("b");
        QCOMPARE(reinterpret_cast<quintptr>(b.data_ptr()) % 4, quintptr(0));
        QCOMPARE(b[0].item<float>(), 1.0f);
        QCOMPARE(b[1].item<float>(), 2.0f);
#ifdef Q_OS_LINUX
        QVERIFY(mappedFileOf(b.data_ptr()) != QFileInfo(path).canonicalFilePath());
#endif
    }

    void malformedHeaders_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<QString>("tensor"); // "" when the problem is not a tensor's

        const QByteArray f32x1 = R"("dtype":"F32","shape":[1],"data_offsets":[0,4])";
        QTest::newRow("shorter than 8 bytes") << QByteArray("\x01\x02\x03", 3) << "shorter than the 8-byte"
                                              << "";
        QTest::newRow("header past end") << lengthPrefix(1000) + QByteArray("{}") << "runs past the end of the file"
                                         << "";
        QTest::newRow("header over limit") << lengthPrefix(200'000'000) + QByteArray("{}") << "exceeds the limit"
                                           << "";
        QTest::newRow("not json") << craft(R"({"a": )", {}) << "not valid JSON"
                                  << "";
        QTest::newRow("not an object") << craft("[1, 2]", {}) << "header is not a JSON object"
                                       << "";
        QTest::newRow("entry not object") << craft(R"({"w": 5})", {}) << "header entry is not a JSON object"
                                          << "w";
        QTest::newRow("lacks dtype") << craft(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", zeros(4))
                                     << "lacks \"dtype\""
                                     << "w";
        QTest::newRow("lacks shape") << craft(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", zeros(4))
                                     << "lacks \"shape\""
                                     << "w";
        QTest::newRow("lacks data_offsets")
            << craft(R"({"w":{"dtype":"F32","shape":[1]}})", zeros(4)) << "lacks \"data_offsets\""
            << "w";
        QTest::newRow("dtype not string") << craft(R"({"w":{"dtype":5,"shape":[1],"data_offsets":[0,4]}})", zeros(4))
                                          << "\"dtype\" is 5, not a string"
                                          << "w";
        QTest::newRow("unknown dtype") << craft(R"({"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}})", zeros(4))
                                       << "unknown dtype 'F33'"
                                       << "w";
        QTest::newRow("unsupported U16") << craft(R"({"w":{"dtype":"U16","shape":[2],"data_offsets":[0,4]}})", zeros(4))
                                         << "dtype U16 is not supported"
                                         << "w";
        QTest::newRow("unsupported F8") << craft(R"({"w":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}})",
                                                 zeros(4))
                                        << "dtype F8_E4M3 is not supported"
                                        << "w";
        QTest::newRow("shape not array") << craft(R"({"w":{"dtype":"F32","shape":1,"data_offsets":[0,4]}})", zeros(4))
                                         << "not an array"
                                         << "w";
        QTest::newRow("negative shape") << craft(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", zeros(4))
                                        << "shape entry -1 is negative"
                                        << "w";
        QTest::newRow("fractional shape")
            << craft(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", zeros(4))
            << "shape entry 1.5 is not an integer"
            << "w";
        QTest::newRow("string shape") << craft(R"({"w":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}})", zeros(4))
                                      << "is not an integer"
                                      << "w";
        QTest::newRow("one offset") << craft(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4]}})", zeros(4))
                                    << "not two integers"
                                    << "w";
        QTest::newRow("three offsets") << craft(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}})", zeros(4))
                                       << "not two integers"
                                       << "w";
        QTest::newRow("fractional offset")
            << craft(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}})", zeros(4)) << "not two integers"
            << "w";
        QTest::newRow("negative offset") << craft(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[-4,-4]}})",
                                                  zeros(4))
                                         << "are negative"
                                         << "w";
        QTest::newRow("begin after end") << craft(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", zeros(4))
                                         << "begin after they end"
                                         << "w";
        QTest::newRow("size mismatch") << craft(R"({"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})",
                                                zeros(20))
                                       << "needs 24 bytes, but data_offsets [0, 20] span 20"
                                       << "w";
        QTest::newRow("past the buffer") << craft(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", zeros(4))
                                         << "run past the end of the data buffer (4 bytes)"
                                         << "w";
        QTest::newRow("overlap") << craft(
            R"({"a":{)" + f32x1 + R"(},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})", zeros(6))
                                 << "overlap those of tensor 'a'"
                                 << "b";
        QTest::newRow("hole") << craft(
            R"({"a":{)" + f32x1 + R"(},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", zeros(12))
                              << "hole in the data buffer: bytes [4, 8] before this tensor"
                              << "b";
        QTest::newRow("leading hole") << craft(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", zeros(8))
                                      << "hole in the data buffer: bytes [0, 4] before this tensor"
                                      << "a";
        QTest::newRow("trailing bytes") << craft(R"({"a":{)" + f32x1 + R"(}})", zeros(8))
                                        << "bytes [4, 8] at the end of the data buffer belong to no tensor"
                                        << "";
        QTest::newRow("duplicate name") << craft(
            R"({"w":{)" + f32x1 + R"(},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", zeros(8))
                                        << "duplicate tensor name"
                                        << "w";
        QTest::newRow("duplicate name, escaped")
            << craft(R"({"w":{)" + f32x1 + R"(},"\u0077":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", zeros(8))
            << "duplicate tensor name"
            << "w";
        // One strict parser reads keys and values (QJsonDocument accepted "\q" as "q").
        QTest::newRow("invalid escape") << craft(R"({"a\qb":{)" + f32x1 + "}}", zeros(4))
                                        << "header is not valid JSON: invalid escape '\\q' at byte 3"
                                        << "";
        QTest::newRow("lone surrogate") << craft(R"({"\ud800":{)" + f32x1 + "}}", zeros(4))
                                        << "header is not valid JSON: a high surrogate without a low one at byte 8"
                                        << "";
        QTest::newRow("invalid UTF-8") << craft("{\"\xff\":{" + f32x1 + "}}", zeros(4))
                                       << "header is not valid JSON: invalid UTF-8 at byte 2"
                                       << "";
        QTest::newRow("byte order mark") << craft("\xef\xbb\xbf{\"a\":{" + f32x1 + "}}", zeros(4))
                                         << "header is not valid JSON: a byte order mark is not allowed at byte 0"
                                         << "";
        QTest::newRow("nested too deep") << craft(QByteArray(100, '[') + QByteArray(100, ']'), {})
                                         << "header is not valid JSON: nested deeper than 64 levels at byte 64"
                                         << "";
        QTest::newRow("offset beyond 2^63")
            << craft(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,9223372036854775808]}})", zeros(4))
            << "not two integers"
            << "w";
        QTest::newRow("metadata key twice")
            << craft(R"({"__metadata__":{"k":"1","k":"2"},"a":{)" + f32x1 + "}}", zeros(4))
            << "__metadata__ names 'k' twice"
            << "";
        QTest::newRow("metadata not object") << craft(R"({"__metadata__":5,"a":{)" + f32x1 + "}}", zeros(4))
                                             << "__metadata__ is not an object of strings"
                                             << "";
        QTest::newRow("metadata value not string") << craft(R"({"__metadata__":{"k":1},"a":{)" + f32x1 + "}}", zeros(4))
                                                   << "__metadata__ is not an object of strings"
                                                   << "";
    }

    void malformedHeaders()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QFETCH(QString, tensor);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.safetensors");
        writeBytes(path, bytes);
        const QString message = errorOf([&] { readSafetensors(path); });
        QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
        if (!tensor.isEmpty())
            QVERIFY2(message.endsWith(QStringLiteral("(tensor '%1')").arg(tensor)), qPrintable(message));
        else
            QVERIFY2(!message.contains(QStringLiteral("(tensor '")), qPrintable(message));
    }

    // "First" is the order of the file, not the sorted order QJsonObject iterates in.
    void firstViolationInFileOrder()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.safetensors");
        writeBytes(path, craft(R"({"zeta":{"dtype":"X9","shape":[1],"data_offsets":[0,4]},)"
                               R"("alpha":{"shape":[1],"data_offsets":[4,8]}})",
                               zeros(8)));
        const QString message = errorOf([&] { readSafetensors(path); });
        QVERIFY2(message.contains("unknown dtype 'X9' (tensor 'zeta')"), qPrintable(message));
    }

    // Names read back exactly as written. QJsonDocument dropped a U+FEFF at
    // the start of a string, so "\uFEFFw" came back as "w".
    void unusualNamesRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("names.safetensors");
        const QStringList names{QString(QChar(0xfeff)) + "w", "a" + QString(QChar(0xfeff)) + "b", "quote\"back\\slash/",
                                "tab\tnew\nline\x01", QString::fromUtf8("emoji \xf0\x9f\x98\x80 and 数字")};
        TensorMap tensors;
        for (int i = 0; i < names.size(); ++i)
            tensors.emplace(names[i].toStdString(), torch::full({1}, static_cast<float>(i)));
        writeSafetensors(path, tensors, Metadata{{std::string("\xef\xbb\xbfkey"), std::string("\xef\xbb\xbfvalue")}});
        const SafetensorsContents read = readSafetensors(path);
        QVERIFY(sameTensorMaps(read.tensors, tensors));
        QCOMPARE(read.metadata.at("\xef\xbb\xbfkey"), std::string("\xef\xbb\xbfvalue"));
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("absent.safetensors");
        const QString message = errorOf([&] { readSafetensors(path); });
        QVERIFY2(message == path + ": does not exist", qPrintable(message));
    }

    void shardedRoundTrip()
    {
        QTemporaryDir dir;
        TensorMap tensors;
        for (int i = 0; i < 6; ++i) // 64 bytes each
            tensors.emplace("t" + std::to_string(i), sample(torch::kFloat32, {16}, 10 + i));
        // 150 bytes hold two tensors: three shards.
        const QStringList files = writeSafetensorsCheckpoint(dir.path(), "model", tensors, {{"format", "pt"}}, 150);
        QCOMPARE(files, QStringList({"model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                                     "model-00003-of-00003.safetensors", "model.safetensors.index.json"}));
        QVERIFY(!QFileInfo::exists(dir.filePath("model.safetensors")));

        const QJsonObject index =
            QJsonDocument::fromJson(readBytes(dir.filePath("model.safetensors.index.json"))).object();
        QCOMPARE(index["metadata"].toObject()["total_size"].toInteger(), qint64(6 * 64));
        const QJsonObject weightMap = index["weight_map"].toObject();
        QCOMPARE(weightMap.size(), 6);
        QCOMPARE(weightMap["t0"].toString(), QStringLiteral("model-00001-of-00003.safetensors"));
        QCOMPARE(weightMap["t3"].toString(), QStringLiteral("model-00002-of-00003.safetensors"));
        QCOMPARE(weightMap["t5"].toString(), QStringLiteral("model-00003-of-00003.safetensors"));
        QCOMPARE(readSafetensors(dir.filePath("model-00002-of-00003.safetensors")).tensors.size(), size_t(2));

        for (const QString &entry : {dir.path(), dir.filePath("model.safetensors.index.json")}) {
            const SafetensorsContents read = readSafetensorsCheckpoint(entry);
            QCOMPARE(firstDifference(read.tensors, tensors), QString());
            QCOMPARE(read.metadata.at("format"), std::string("pt"));
        }
    }

    void shardingOnlyAboveTheLimit()
    {
        QTemporaryDir dir;
        const TensorMap tensors{{"a", torch::ones({16})}, {"b", torch::zeros({16})}};
        QCOMPARE(writeSafetensorsCheckpoint(dir.filePath("fits"), "model", tensors, {}, 128),
                 QStringList({"model.safetensors"}));
        QCOMPARE(writeSafetensorsCheckpoint(dir.filePath("never"), "model", tensors, {}, 0),
                 QStringList({"model.safetensors"}));
        QCOMPARE(writeSafetensorsCheckpoint(dir.filePath("split"), "weights", tensors, {}, 127).size(), 3);
        QVERIFY(QFileInfo::exists(dir.filePath("split/weights.safetensors.index.json")));
        QCOMPARE(firstDifference(readSafetensorsCheckpoint(dir.filePath("fits")).tensors, tensors), QString());
        QCOMPARE(firstDifference(
                     readSafetensorsCheckpoint(dir.filePath("split/weights.safetensors.index.json")).tensors, tensors),
                 QString());
    }

    void brokenIndex_data()
    {
        QTest::addColumn<QByteArray>("index");
        QTest::addColumn<QString>("problem");
        const QByteArray one = "model-00001-of-00002.safetensors";
        const QByteArray two = "model-00002-of-00002.safetensors";
        // Shard one holds a and b, shard two holds c.
        QTest::newRow("missing shard") << QByteArray(R"({"weight_map":{"a":")" + one + R"(","b":")" + one
                                                     + R"(","c":"model-00009-of-00009.safetensors"}})")
                                       << "shard 'model-00009-of-00009.safetensors' named in weight_map does not exist";
        QTest::newRow("wrong shard") << QByteArray(R"({"weight_map":{"a":")" + one + R"(","b":")" + two + R"(","c":")"
                                                   + two + R"("}})")
                                     << QString::fromLatin1("tensor 'b' is in shard '" + one
                                                            + "', but weight_map names shard '" + two + "'");
        QTest::newRow("unlisted tensor") << QByteArray(R"({"weight_map":{"a":")" + one + R"(","c":")" + two + R"("}})")
                                         << QString::fromLatin1("tensor 'b' of shard '" + one
                                                                + "' is not in weight_map");
        QTest::newRow("listed but absent")
            << QByteArray(R"({"weight_map":{"a":")" + one + R"(","b":")" + one + R"(","c":")" + two + R"(","d":")" + two
                          + R"("}})")
            << QString::fromLatin1("weight_map puts tensor 'd' in shard '" + two + "', which does not hold it");
        QTest::newRow("listed twice") << QByteArray(R"({"weight_map":{"a":")" + one + R"(","b":")" + one + R"(","c":")"
                                                    + two + R"(","a":")" + one + R"("}})")
                                      << "weight_map lists tensor 'a' twice";
        // A downloaded index must not make us read files outside its folder.
        QTest::newRow("shard outside the folder")
            << QByteArray(R"({"weight_map":{"a":"../)" + one + R"("}})")
            << QString::fromLatin1("shard '../" + one
                                   + "' cannot be a file or folder name: it contains the path separator '/'");
        QTest::newRow("absolute shard") << QByteArray(R"({"weight_map":{"a":"/etc/passwd"}})")
                                        << "shard '/etc/passwd' cannot be a file or folder name";
        QTest::newRow("no weight_map") << QByteArray(R"({"metadata":{}})") << "not a safetensors index";
        QTest::newRow("not json") << QByteArray("{") << "not valid JSON";
    }

    void brokenIndex()
    {
        QFETCH(QByteArray, index);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        writeSafetensors(dir.filePath("model-00001-of-00002.safetensors"),
                         {{"a", torch::ones({1})}, {"b", torch::ones({2})}});
        writeSafetensors(dir.filePath("model-00002-of-00002.safetensors"), {{"c", torch::ones({3})}});
        const QString indexPath = dir.filePath("model.safetensors.index.json");
        writeBytes(indexPath, index);
        const QString message = errorOf([&] { readSafetensorsCheckpoint(dir.path()); });
        QVERIFY2(message.startsWith(indexPath + ": "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    void tensorInTwoShards()
    {
        QTemporaryDir dir;
        writeSafetensors(dir.filePath("one.safetensors"), {{"a", torch::ones({1})}});
        writeSafetensors(dir.filePath("two.safetensors"), {{"a", torch::ones({1})}, {"b", torch::ones({1})}});
        writeBytes(dir.filePath("model.safetensors.index.json"),
                   R"({"weight_map":{"a":"one.safetensors","b":"two.safetensors"}})");
        const QString message = errorOf([&] { readSafetensorsCheckpoint(dir.path()); });
        QVERIFY2(message.contains("tensor 'a' appears in both shard 'one.safetensors' and shard 'two.safetensors'"),
                 qPrintable(message));
    }

    void folderWithoutWeights()
    {
        QTemporaryDir dir;
        const QString message = errorOf([&] { readSafetensorsCheckpoint(dir.path()); });
        QVERIFY2(message.startsWith(dir.path() + ": ") && message.contains("model.safetensors"), qPrintable(message));
    }

    // Cancelling part-way leaves the previous file as it was and no temporary behind.
    void cancelledWriteLeavesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("t.safetensors");
        writeBytes(path, "previous");
        std::atomic<bool> cancel{false};
        JobContext context;
        context.cancelFlag = &cancel;
        int reports = 0;
        context.onProgress = [&](qint64, qint64, const QString &) {
            ++reports;
            cancel = true;
        };
        const TensorMap tensors{{"a", torch::ones({4})}, {"b", torch::ones({4})}, {"c", torch::ones({4})}};
        QVERIFY_THROWS_EXCEPTION(Cancelled, writeSafetensors(path, tensors, {}, context));
        QCOMPARE(reports, 1);
        QCOMPARE(readBytes(path), QByteArray("previous"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList({"t.safetensors"}));

        // Sharded: shards already written are removed again.
        cancel = false;
        reports = 0;
        const QString folder = dir.filePath("sharded");
        QVERIFY_THROWS_EXCEPTION(Cancelled, writeSafetensorsCheckpoint(folder, "model", tensors, {}, 16, context));
        QCOMPARE(QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
    }

    void unwritableTensors()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("t.safetensors");
        QString message = errorOf([&] {
            writeSafetensors(path, {{"ok", torch::ones({1})}, {"complex", torch::ones({2}, torch::kComplexFloat)}});
        });
        QVERIFY2(message.startsWith(path + ": ") && message.contains("(tensor 'complex')"), qPrintable(message));
        QVERIFY(!QFileInfo::exists(path));
        message = errorOf([&] { writeSafetensors(path, {{"__metadata__", torch::ones({1})}}); });
        QVERIFY2(message.contains("__metadata__"), qPrintable(message));
        QVERIFY(!QFileInfo::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
