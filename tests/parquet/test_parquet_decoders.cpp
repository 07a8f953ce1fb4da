// The Parquet reader's decoders on bytes computed by hand: the Thrift compact
// protocol, the RLE / bit-packed hybrid, the page codecs and PLAIN values;
// then the hand-assembled seed files of fuzz_parquet read whole, and every
// one-byte damage of them answered by a wemoe::Error or a read, never more.

#include "common/error.h"
#include "parquet/parquet_codecs.h"
#include "parquet/parquet_file.h"
#include "parquet/parquet_plain_values.h"
#include "parquet/rle_bit_packed_hybrid.h"
#include "parquet/thrift_compact_reader.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <limits>

using namespace wemoe;
using namespace wemoe::test;

namespace {

const ParquetErrorContext kContext{QStringLiteral("test.parquet"), QStringLiteral("here")};

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (const int value : values)
        out.append(static_cast<char>(value));
    return out;
}

const uchar *raw(const QByteArray &data)
{
    return reinterpret_cast<const uchar *>(data.constData());
}

ThriftCompactReader thriftOver(const QByteArray &data)
{
    return ThriftCompactReader(raw(data), data.size(), kContext);
}

// Reads a struct whose fields are all skipped; returns the error or "".
QString skipAll(const QByteArray &data)
{
    return errorOf([&] {
        ThriftCompactReader reader = thriftOver(data);
        reader.readStruct([](const ThriftField &) { return false; });
    });
}

std::vector<std::uint32_t> rle(const QByteArray &data, int bitWidth, qint64 count)
{
    return decodeRleBitPackedHybrid(raw(data), data.size(), bitWidth, count, "levels", kContext);
}

QByteArray decompress(int codec, const QByteArray &data, qint64 uncompressedSize)
{
    const ParquetPageBytes page = decompressParquetPage(codec, raw(data), data.size(), uncompressedSize, kContext);
    return QByteArray(reinterpret_cast<const char *>(page.data()), static_cast<qsizetype>(page.size()));
}

QByteArray gzipped(const QByteArray &data)
{
    z_stream stream{};
    if (deflateInit2(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(static_cast<qsizetype>(deflateBound(&stream, static_cast<uLong>(data.size()))), '\0');
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    out.resize(static_cast<qsizetype>(stream.total_out));
    deflateEnd(&stream);
    return status == Z_STREAM_END ? out : QByteArray();
}

// Some bytes a codec can shrink but not to nothing.
QByteArray sampleText()
{
    QByteArray text;
    for (int i = 0; i < 2000; ++i)
        text += QByteArray::number(i * 7919 % 1000) + ' ';
    return text;
}

QString seedPath(const char *name)
{
    return QStringLiteral(WEMOE_PARQUET_SEEDS "/") + QLatin1String(name);
}

std::vector<bool> flags(std::initializer_list<int> values)
{
    std::vector<bool> out;
    for (const int value : values)
        out.push_back(value != 0);
    return out;
}

std::vector<std::int64_t> integers(std::initializer_list<std::int64_t> values)
{
    return std::vector<std::int64_t>(values);
}

} // namespace

class TestParquetDecoders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void thriftVarintsZigzagAndFieldForms()
    {
        // 1: i32 150 (zigzag 300 = AC 02); 3 (delta 2): i64 -2^63 (zigzag 2^64 - 1: nine FF, 01);
        // 300 (long form, zigzag 600 = D8 04): binary "ab"; 301: bool true; 302: bool false.
        const QByteArray data = bytes({0x15, 0xAC, 0x02, 0x26, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                       0xFF, 0x01, 0x08, 0xD8, 0x04, 0x02, 'a',  'b',  0x11, 0x12, 0x00});
        ThriftCompactReader reader = thriftOver(data);
        std::int32_t small = 0;
        std::int64_t large = 0;
        QByteArray text;
        std::vector<std::pair<int, bool>> bools;
        const std::uint64_t seen = reader.readStruct([&](const ThriftField &field) {
            switch (field.id) {
            case 1: small = reader.readI32(field.type); return true;
            case 3: large = reader.readI64(field.type); return true;
            case 300: text = reader.readBinary(field.type); return true;
            case 301:
            case 302: bools.emplace_back(field.id, reader.readBool(field)); return true;
            default: return false;
            }
        });
        QCOMPARE(small, 150);
        QCOMPARE(large, std::numeric_limits<std::int64_t>::min());
        QCOMPARE(text, QByteArray("ab"));
        QCOMPARE(bools, (std::vector<std::pair<int, bool>>{{301, true}, {302, false}}));
        QCOMPARE(seen, (std::uint64_t(1) << 1) | (std::uint64_t(1) << 3));
        QCOMPARE(reader.position(), qint64(data.size()));

        // Small negatives: zigzag -1 = 1, -64 = 127, 64 = 128 (80 01).
        const QByteArray negatives = bytes({0x15, 0x01, 0x15, 0x7F, 0x15, 0x80, 0x01, 0x00});
        ThriftCompactReader negativeReader = thriftOver(negatives);
        std::vector<std::int32_t> values;
        negativeReader.readStruct([&](const ThriftField &field) {
            values.push_back(negativeReader.readI32(field.type));
            return true;
        });
        QCOMPARE(values, (std::vector<std::int32_t>{-1, -64, 64}));
    }

    void thriftSkipsUnknownFields()
    {
        // 7: list<struct> [{1: double 1.0}, {}]; 8: map<binary, i32> {"k": -3};
        // 9: set<bool> [true, false, false (the old 0)]; 10: i32 7, the one field read.
        const QByteArray data = bytes({0x79, 0x2C, 0x17, 0,    0,    0,    0,    0,    0,
                                       0xF0, 0x3F, 0x00, 0x00, 0x1B, 0x01, 0x85, 0x01, 'k',
                                       0x05, 0x1A, 0x31, 0x01, 0x02, 0x00, 0x15, 0x0E, 0x00});
        ThriftCompactReader reader = thriftOver(data);
        std::int32_t value = 0;
        reader.readStruct([&](const ThriftField &field) {
            if (field.id != 10)
                return false;
            value = reader.readI32(field.type);
            return true;
        });
        QCOMPARE(value, 7);
        QCOMPARE(reader.position(), qint64(data.size()));

        // A double read where one belongs, and a list of i32 read whole.
        const QByteArray listed = bytes({0x17, 0, 0, 0, 0, 0, 0, 0x04, 0x40, 0x19, 0x35, 0x02, 0x03, 0x05, 0x00});
        ThriftCompactReader listReader = thriftOver(listed);
        double number = 0;
        std::vector<std::int32_t> list;
        listReader.readStruct([&](const ThriftField &field) {
            if (field.id == 1)
                number = listReader.readDouble(field.type);
            else
                listReader.readList(field.type, ThriftType::I32,
                                    [&](std::int64_t) { list.push_back(listReader.readI32(ThriftType::I32)); });
            return true;
        });
        QCOMPARE(number, 2.5);
        QCOMPARE(list, (std::vector<std::int32_t>{1, -2, -3}));
    }

    void thriftNestingIsLimited()
    {
        // n structs each holding the next as field 1: n + 1 levels with the outer one.
        const auto nested = [](int n) { return QByteArray(n, '\x1C') + QByteArray(n + 1, '\0'); };
        QCOMPARE(skipAll(nested(ThriftCompactReader::kMaxNesting - 1)), QString());
        QVERIFY(skipAll(nested(ThriftCompactReader::kMaxNesting)).contains(QStringLiteral("deeper than 64")));
        // Lists count as levels too: list<list<...>> 200 deep.
        QByteArray lists = bytes({0x19});
        for (int i = 0; i < 200; ++i)
            lists += bytes({0x19});
        QVERIFY(skipAll(lists).contains(QStringLiteral("deeper than 64")));
    }

    void thriftRefusesOverrunsAndBadTypes()
    {
        const auto expectError = [](const QByteArray &data, const char *fragment) {
            const QString message = skipAll(data);
            QVERIFY2(message.startsWith(QStringLiteral("test.parquet: here: Thrift data: ")), qPrintable(message));
            QVERIFY2(message.contains(QLatin1String(fragment)), qPrintable(message));
        };
        expectError(bytes({0x18, 0x05, 'a', 'b'}), "runs past the end");                     // binary of 5, 2 left
        expectError(bytes({0x15, 0x80}), "ends early");                                      // varint cut short
        expectError(bytes({0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00}), "overflows 32 bits"); // 5th byte > 0x0F
        expectError(QByteArray(1, '\x16') + QByteArray(10, '\x80') + bytes({0x01, 0x00}), "overflows 64 bits");
        expectError(bytes({0x19, 0xF5, 0xE8, 0x07}), "cannot fit"); // list of 1000 i32
        expectError(bytes({0x1B, 0x64, 0x55, 0x00}), "cannot fit"); // map of 100
        expectError(bytes({0x1D, 0x00}), "unknown type 13");
        expectError(bytes({0x17, 0x00, 0x00}), "inside a double");
        expectError(bytes({0x15, 0x02}), "ends early"); // no stop
        expectError(bytes({0x1A, 0x11, 0x07, 0x00}), "a bool element holds 7");
        // Long-form id 32767 (zigzag 65534 = FE FF 03), then a delta past it.
        expectError(bytes({0x05, 0xFE, 0xFF, 0x03, 0x00, 0x15, 0x00, 0x00}), "exceeds 32767");

        // A known field of the wrong type, a field twice, a required field missing.
        const QByteArray binaryField = bytes({0x18, 0x00, 0x00});
        QVERIFY(errorOf([&] {
                    ThriftCompactReader reader = thriftOver(binaryField);
                    reader.readStruct([&](const ThriftField &field) { return reader.readI32(field.type) != 0; });
                }).contains(QStringLiteral("expected i32, found binary")));
        const QByteArray twice = bytes({0x15, 0x02, 0x05, 0x02, 0x04, 0x00}); // 1: i32 1, then 1 again (long form)
        QVERIFY(errorOf([&] {
                    ThriftCompactReader reader = thriftOver(twice);
                    reader.readStruct([&](const ThriftField &field) {
                        reader.readI32(field.type);
                        return true;
                    });
                }).contains(QStringLiteral("field 1 appears twice")));
        const QByteArray onlyFirst = bytes({0x15, 0x02, 0x00});
        QVERIFY(errorOf([&] {
                    ThriftCompactReader reader = thriftOver(onlyFirst);
                    const std::uint64_t seen = reader.readStruct([&](const ThriftField &field) {
                        reader.readI32(field.type);
                        return true;
                    });
                    reader.requireFields(seen, {1, 2}, "Thing");
                }).contains(QStringLiteral("Thing lacks its required field 2")));
    }

    void rleBitPackedHybrid()
    {
        QCOMPARE(parquetLevelBitWidth(0), 0);
        QCOMPARE(parquetLevelBitWidth(1), 1);
        QCOMPARE(parquetLevelBitWidth(2), 2);
        QCOMPARE(parquetLevelBitWidth(3), 2);
        QCOMPARE(parquetLevelBitWidth(4), 3);

        // Encodings.md's example: 0..7 at width 3 bit-packed in one group: 10001000 11000110 11111010.
        QCOMPARE(rle(bytes({0x03, 0x88, 0xC6, 0xFA}), 3, 8), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
        // Only 5 of the group's 8 wanted: the rest is padding.
        QCOMPARE(rle(bytes({0x03, 0x88, 0xC6, 0xFA}), 3, 5), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
        // A run of five 4s (header 5 << 1), then a bit-packed group at width 3 of 1, 0, 1, 1, 0, 0, 0, 1.
        // Bits LSB first: 001 000 001 001 000 000 000 001 -> bytes 0x41, 0x02, 0x20.
        QCOMPARE(rle(bytes({0x0A, 0x04, 0x03, 0x41, 0x02, 0x20}), 3, 13),
                 (std::vector<std::uint32_t>{4, 4, 4, 4, 4, 1, 0, 1, 1, 0, 0, 0, 1}));
        // Width 1: 1, 0, 1, 1, 0, 0, 0, 1 = 0b10001101.
        QCOMPARE(rle(bytes({0x03, 0x8D}), 1, 8), (std::vector<std::uint32_t>{1, 0, 1, 1, 0, 0, 0, 1}));
        // Width 12: a repeated value takes two bytes, little-endian.
        QCOMPARE(rle(bytes({0x04, 0xBC, 0x0A}), 12, 2), (std::vector<std::uint32_t>{0xABC, 0xABC}));
        // Width 0: values take no bytes at all.
        QCOMPARE(rle(bytes({0x14}), 0, 10), std::vector<std::uint32_t>(10, 0));
        // Width 32, one group: eight 4-byte values.
        QByteArray wide = bytes({0x03});
        for (std::uint32_t v : {0xFFFFFFFFu, 1u, 2u, 3u, 4u, 5u, 6u, 0x80000000u}) {
            for (int b = 0; b < 4; ++b)
                wide.append(static_cast<char>((v >> (8 * b)) & 0xFF));
        }
        QCOMPARE(rle(wide, 32, 8), (std::vector<std::uint32_t>{0xFFFFFFFFu, 1, 2, 3, 4, 5, 6, 0x80000000u}));
        // A long run header: 300 repeats (600 = D8 04) of 1 at width 1.
        QCOMPARE(rle(bytes({0xD8, 0x04, 0x01}), 1, 300), std::vector<std::uint32_t>(300, 1));

        const auto expectError = [](const QByteArray &data, int width, qint64 count, const char *fragment) {
            const QString message = errorOf([&] { rle(data, width, count); });
            QVERIFY2(message.startsWith(QStringLiteral("test.parquet: here: levels: ")), qPrintable(message));
            QVERIFY2(message.contains(QLatin1String(fragment)), qPrintable(message));
        };
        expectError(bytes({0x03, 0x88, 0xC6}), 3, 8, "passes the end");   // a group needs 3 bytes
        expectError(bytes({0x0A, 0x09}), 3, 5, "wider than 3 bits");      // 9 needs 4 bits
        expectError(bytes({0x00, 0x01}), 1, 1, "holds no values");        // a run of 0
        expectError(bytes({0x01}), 1, 1, "holds no values");              // 0 groups
        expectError(bytes({0x0A, 0x01, 0x02, 0x01}), 1, 5, "left after"); // a second run not needed
        expectError(bytes({0x0A, 0x01}), 1, 6, "end after 5 of 6");
        expectError(bytes({0x0A}), 3, 5, "value passes the end");
        expectError(bytes({0x80, 0x80}), 1, 1, "cut short");
        expectError(bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x01}), 1, 1, "longer than 5 bytes");
        expectError(bytes({0x02, 0x00}), 33, 1, "outside 0..32");
    }

    void codecRoundTrips()
    {
        const QByteArray text = sampleText();

        // UNCOMPRESSED: a view of the input, no copy.
        const ParquetPageBytes view = decompressParquetPage(0, raw(text), text.size(), text.size(), kContext);
        QCOMPARE(view.data(), raw(text));
        QVERIFY(errorOf([&] { decompress(0, text, text.size() + 1); }).contains(QStringLiteral("declares")));

        QByteArray snappy(static_cast<qsizetype>(snappy_max_compressed_length(static_cast<size_t>(text.size()))), '\0');
        size_t snappyLength = static_cast<size_t>(snappy.size());
        QCOMPARE(snappy_compress(text.constData(), static_cast<size_t>(text.size()), snappy.data(), &snappyLength),
                 SNAPPY_OK);
        snappy.resize(static_cast<qsizetype>(snappyLength));
        QVERIFY(snappy.size() < text.size());
        QCOMPARE(decompress(1, snappy, text.size()), text);
        QVERIFY(errorOf([&] { decompress(1, snappy, text.size() - 1); }).contains(QStringLiteral("declares")));
        QVERIFY(errorOf([&] {
                    decompress(1, snappy.left(snappy.size() - 5), text.size());
                }).contains(QStringLiteral("SNAPPY page is damaged")));

        const QByteArray gzip = gzipped(text);
        QVERIFY(!gzip.isEmpty() && gzip.size() < text.size());
        QCOMPARE(decompress(2, gzip, text.size()), text);
        QVERIFY(errorOf([&] { decompress(2, gzip, text.size() - 1); }).contains(QStringLiteral("more than")));
        QVERIFY(errorOf([&] { decompress(2, gzip, text.size() + 1); }).contains(QStringLiteral("GZIP page")));
        QVERIFY(errorOf([&] { decompress(2, gzip + "junk", text.size()); }).contains(QStringLiteral("after its")));
        QVERIFY(errorOf([&] { decompress(2, gzip, gzip.size() * 2000); }).contains(QStringLiteral("deflate")));
        // zlib's own format (compress2) is not Parquet's GZIP.
        QByteArray zlibFormat(static_cast<qsizetype>(compressBound(static_cast<uLong>(text.size()))), '\0');
        uLongf zlibLength = static_cast<uLongf>(zlibFormat.size());
        QCOMPARE(compress2(reinterpret_cast<Bytef *>(zlibFormat.data()), &zlibLength,
                           reinterpret_cast<const Bytef *>(text.constData()), static_cast<uLong>(text.size()), 6),
                 Z_OK);
        zlibFormat.resize(static_cast<qsizetype>(zlibLength));
        QVERIFY(!errorOf([&] { decompress(2, zlibFormat, text.size()); }).isEmpty());
        QCOMPARE(decompress(2, gzipped(QByteArray()), 0), QByteArray());

        QByteArray zstd(static_cast<qsizetype>(ZSTD_compressBound(static_cast<size_t>(text.size()))), '\0');
        const size_t zstdLength = ZSTD_compress(zstd.data(), static_cast<size_t>(zstd.size()), text.constData(),
                                                static_cast<size_t>(text.size()), 3);
        QVERIFY(!ZSTD_isError(zstdLength));
        zstd.resize(static_cast<qsizetype>(zstdLength));
        QCOMPARE(decompress(6, zstd, text.size()), text);
        QVERIFY(errorOf([&] { decompress(6, zstd, text.size() + 1); }).contains(QStringLiteral("frame holds")));
        QVERIFY(!errorOf([&] { decompress(6, zstd.left(zstd.size() - 3), text.size()); }).isEmpty());
        QVERIFY(!errorOf([&] { decompress(6, text, text.size()); }).isEmpty());

        // No data, nothing to decompress, whatever the codec.
        QCOMPARE(decompress(6, QByteArray(), 0), QByteArray());
        // Limits and codecs outside the four.
        QVERIFY(errorOf([&] { decompress(6, zstd, kMaxParquetPageBytes + 1); }).contains(QStringLiteral("limit")));
        QCOMPARE(errorOf([&] { decompress(5, text, text.size()); }),
                 QStringLiteral("test.parquet: here: pages compressed with LZ4, which is not supported (UNCOMPRESSED, "
                                "SNAPPY, GZIP and ZSTD are)"));
        QVERIFY(!isSupportedParquetCodec(7));
        QVERIFY(isSupportedParquetCodec(6));
    }

    void plainValues()
    {
        // BOOLEAN: 1, 0, 1, 1 in the low bits of 0b1101.
        QCOMPARE(decodePlainValues(0, raw(bytes({0x0D})), 1, 4, kContext).integers, integers({1, 0, 1, 1}));
        QVERIFY(errorOf([] {
                    decodePlainValues(0, raw(bytes({0x0D, 0})), 2, 4, kContext);
                }).contains(QStringLiteral("need 1 bytes")));
        // INT32 sign-extends: -1, 7.
        const QByteArray int32s = bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0, 0, 0});
        QCOMPARE(decodePlainValues(1, raw(int32s), int32s.size(), 2, kContext).integers, integers({-1, 7}));
        QVERIFY(errorOf([&] {
                    decodePlainValues(1, raw(int32s), int32s.size(), 1, kContext);
                }).contains(QStringLiteral("need 4 bytes, but the page holds 8")));
        // INT64: -2 (FE then seven FF).
        const QByteArray int64s = bytes({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
        QCOMPARE(decodePlainValues(2, raw(int64s), int64s.size(), 1, kContext).integers, integers({-2}));
        // BYTE_ARRAY: "ab", "".
        const QByteArray arrays = bytes({2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0});
        QCOMPARE(decodePlainValues(6, raw(arrays), arrays.size(), 2, kContext).bytes,
                 (std::vector<QByteArray>{"ab", ""}));
        QVERIFY(errorOf([&] {
                    decodePlainValues(6, raw(arrays), arrays.size(), 1, kContext);
                }).contains(QStringLiteral("left after")));
        QVERIFY(errorOf([&] {
                    decodePlainValues(6, raw(arrays), arrays.size() - 1, 2, kContext);
                }).contains(QStringLiteral("no room for its length")));
        const QByteArray tooLong = bytes({9, 0, 0, 0, 'a'});
        QVERIFY(errorOf([&] {
                    decodePlainValues(6, raw(tooLong), tooLong.size(), 1, kContext);
                }).contains(QStringLiteral("past the end")));
        QVERIFY(errorOf([&] {
                    decodePlainValues(4, raw(int32s), int32s.size(), 2, kContext);
                }).contains(QStringLiteral("FLOAT are not supported")));
    }

    void names()
    {
        QCOMPARE(parquetTypeName(6), QStringLiteral("BYTE_ARRAY"));
        QCOMPARE(parquetTypeName(12), QStringLiteral("type 12"));
        QCOMPARE(parquetCodecName(1), QStringLiteral("SNAPPY"));
        QCOMPARE(parquetCodecName(9), QStringLiteral("codec 9"));
        QCOMPARE(parquetEncodingName(8), QStringLiteral("RLE_DICTIONARY"));
        QCOMPARE(parquetEncodingName(11), QStringLiteral("encoding 11"));
        QCOMPARE(parquetEncodingName(-1), QStringLiteral("encoding -1"));
    }

    // The Hugging Face image layout: image {bytes, path} (optional group of
    // optional binaries), label (optional int64); rows {PNG, "a.png", 1},
    // {null, -, null}, {xyz, null, 0}. One file v1 PLAIN uncompressed, one
    // v2 with dictionaries and GZIP.
    void seedImageFiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("v1 plain") << QStringLiteral("hf_image_v1_plain_uncompressed.parquet");
        QTest::newRow("v2 dictionary gzip") << QStringLiteral("hf_image_v2_dictionary_gzip.parquet");
    }
    void seedImageFiles()
    {
        QFETCH(QString, name);
        const ParquetFile file = ParquetFile::open(seedPath(qPrintable(name)));
        QCOMPARE(file.rowCount(), std::int64_t(3));
        QCOMPARE(file.version(), 1);
        QCOMPARE(file.createdBy(), QStringLiteral("hand-made seed"));
        QCOMPARE(file.columnPaths(), (QStringList{"image.bytes", "image.path", "label"}));
        QCOMPARE(file.columnIndex(QStringLiteral("label")), 2);
        QCOMPARE(file.columnIndex(QStringLiteral("image")), -1);
        QCOMPARE(file.columns()[0].maxDefinitionLevel, 2);
        QCOMPARE(file.columns()[2].maxDefinitionLevel, 1);
        QCOMPARE(file.columns()[0].maxRepetitionLevel, 0);
        QCOMPARE(file.schema().size(), std::size_t(5));
        QCOMPARE(file.schema()[1].name, QStringLiteral("image"));
        QCOMPARE(file.schema()[1].childCount, 2);
        QCOMPARE(file.schema()[3].depth, 2);
        QCOMPARE(file.schema()[3].logicalType, QStringLiteral("STRING"));
        QCOMPARE(file.schema()[3].convertedType, std::optional<int>(0));
        QCOMPARE(file.schema()[4].depth, 1);
        QVERIFY(file.metadataValue(QStringLiteral("huggingface"))->contains(QStringLiteral("ClassLabel")));
        QVERIFY(!file.metadataValue(QStringLiteral("nothing")));

        const ParquetColumnValues images = file.readColumn(0, 0);
        QCOMPARE(images.present, flags({1, 0, 1}));
        QCOMPARE(images.bytes, (std::vector<QByteArray>{"\x89PNG", "", "xyz"}));
        QVERIFY(images.integers.empty());
        const ParquetColumnValues paths = file.readColumn(0, 1);
        QCOMPARE(paths.present, flags({1, 0, 0}));
        QCOMPARE(paths.bytes, (std::vector<QByteArray>{"a.png", "", ""}));
        const ParquetColumnValues labels = file.readColumn(0, 2);
        QCOMPARE(labels.present, flags({1, 0, 1}));
        QCOMPARE(labels.integers, integers({1, 0, 0}));

        QVERIFY(errorOf([&] { file.readColumn(1, 0); }).contains(QStringLiteral("row group 1 does not exist")));
        QVERIFY(errorOf([&] { file.readColumn(0, 3); }).contains(QStringLiteral("column 3 does not exist")));
    }

    // Required BOOLEAN and INT32 columns and an optional binary, two row
    // groups, dictionaries and SNAPPY; the second group's names are all null.
    void seedFlatFile()
    {
        const ParquetFile file = ParquetFile::open(seedPath("flat_v1_dictionary_snappy.parquet"));
        QCOMPARE(file.rowCount(), std::int64_t(6));
        QCOMPARE(file.rowGroups().size(), std::size_t(2));
        QCOMPARE(file.rowGroups()[0].columns[1].codec, 1);
        QCOMPARE(file.columns()[0].maxDefinitionLevel, 0);
        QCOMPARE(file.readColumn(0, 0).integers, integers({1, 0, 1, 1}));
        QCOMPARE(file.readColumn(0, 0).present, flags({1, 1, 1, 1}));
        QCOMPARE(file.readColumn(0, 1).integers, integers({-1, 7, 2147483647, -2147483648LL}));
        const ParquetColumnValues names = file.readColumn(0, 2);
        QCOMPARE(names.present, flags({1, 1, 0, 1}));
        QCOMPARE(names.bytes, (std::vector<QByteArray>{"x", "x", "", "yy"}));
        QCOMPARE(file.readColumn(1, 0).integers, integers({0, 0}));
        QCOMPARE(file.readColumn(1, 1).integers, integers({0, 5}));
        QCOMPARE(file.readColumn(1, 2).present, flags({0, 0}));

        // Copies share the mapping; reading is the same from either.
        const ParquetFile copy = file;
        QCOMPARE(copy.readColumn(0, 1).integers, file.readColumn(0, 1).integers);
    }

    void damagedFramesAreRefused()
    {
        QFile seed(seedPath("hf_image_v1_plain_uncompressed.parquet"));
        QVERIFY(seed.open(QIODevice::ReadOnly));
        const QByteArray good = seed.readAll();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("damaged.parquet"));
        const auto openError = [&](const QByteArray &data) {
            QFile out(path);
            if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(data) != data.size())
                return QStringLiteral("cannot write");
            out.close();
            return errorOf([&] { ParquetFile::open(path); });
        };
        QVERIFY(openError(good.left(10)).contains(QStringLiteral("shorter than")));
        QVERIFY(openError(good.left(good.size() - 1) + "2").contains(QStringLiteral("no \"PAR1\"")));
        QVERIFY(openError("XXXX" + good.mid(4)).contains(QStringLiteral("no \"PAR1\"")));
        QVERIFY(openError(good.left(good.size() - 4) + "PARE").contains(QStringLiteral("encrypted")));
        QByteArray longFooter = good;
        longFooter[longFooter.size() - 5] = '\x7f';
        QVERIFY(openError(longFooter).contains(QStringLiteral("runs past the start")));
        QCOMPARE(openError(good), QString());
    }

    // Every byte of every seed set to three other values: each file either
    // reads or is refused with a wemoe::Error; nothing else escapes.
    void everyOneByteDamageIsAnErrorOrARead()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("mutant.parquet"));
        int refused = 0;
        int read = 0;
        for (const QString &name : QDir(QStringLiteral(WEMOE_PARQUET_SEEDS)).entryList(QDir::Files)) {
            QFile seed(seedPath(qPrintable(name)));
            QVERIFY(seed.open(QIODevice::ReadOnly));
            const QByteArray good = seed.readAll();
            for (qsizetype i = 0; i < good.size(); ++i) {
                for (const char value : {'\x00', '\xff', static_cast<char>(good[i] ^ 0x01)}) {
                    if (value == good[i])
                        continue;
                    QByteArray mutant = good;
                    mutant[i] = value;
                    QFile out(path);
                    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
                    QCOMPARE(out.write(mutant), qint64(mutant.size()));
                    out.close();
                    try {
                        const ParquetFile file = ParquetFile::open(path);
                        for (int g = 0; g < static_cast<int>(file.rowGroups().size()); ++g) {
                            for (int c = 0; c < static_cast<int>(file.columns().size()); ++c) {
                                const ParquetColumnValues values = file.readColumn(g, c);
                                QCOMPARE(values.size(), file.rowGroups()[size_t(g)].rowCount);
                            }
                        }
                        ++read;
                    } catch (const Error &error) {
                        QVERIFY2(error.message().startsWith(path + QStringLiteral(": ")), qPrintable(error.message()));
                        ++refused;
                    }
                }
            }
        }
        QVERIFY(refused > 1000);
        QVERIFY(read > 0); // some bytes are only values
    }
};

QTEST_GUILESS_MAIN(TestParquetDecoders)
#include "test_parquet_decoders.moc"
