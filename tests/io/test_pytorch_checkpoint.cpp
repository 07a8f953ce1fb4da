#include "common/error.h"
#include "io/checkpoint.h"
#include "io/model_weights.h"
#include "io/pickle_reader.h"
#include "io/pytorch_checkpoint.h"
#include "io/safetensors.h"
#include "io/zip_archive.h"
#include "io_test_util.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>
#include <QtCore/QtEndian>
#include <QtTest/QtTest>

#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <vector>

using namespace wemoe;
using namespace wemoe::test;

Q_DECLARE_METATYPE(c10::ScalarType)

namespace {

// --- bytes by hand

template<typename T>
QByteArray little(T value)
{
    QByteArray bytes(sizeof(T), '\0');
    qToLittleEndian<T>(value, bytes.data());
    return bytes;
}

// CRC-32 bit by bit, independent of the zlib the reader uses.
quint32 crc32Of(const QByteArray &bytes)
{
    quint32 crc = 0xffffffffu;
    for (const char c : bytes) {
        crc ^= static_cast<quint8>(c);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// A zip of stored entries, written field by field as the format says, with
// the knobs the hostile cases need.
class ZipWriter
{
public:
    struct Options
    {
        int align = 64;   // where entry data starts, modulo this ...
        int misalign = 0; // ... plus this (torch.save aligns to 64)
        quint16 method = 0;
        bool dataDescriptor = false; // as torch.save: sizes and CRC after the data
    };

    // Returns where the entry's data starts.
    qint64 add(const QByteArray &name, const QByteArray &data, const Options &options)
    {
        const qint64 offset = m_bytes.size();
        const qint64 fixed = offset + 30 + name.size() + 4;
        const int pad = static_cast<int>(((options.misalign - fixed) % options.align + options.align) % options.align);
        const QByteArray extra = little<quint16>(0x4246) + little<quint16>(static_cast<quint16>(pad))
                                 + QByteArray(pad, 'Z');
        const quint16 flags = options.dataDescriptor ? 0x0808 : 0x0800;
        const quint32 crc = crc32Of(data);
        m_bytes += little<quint32>(0x04034b50) + little<quint16>(20) + little<quint16>(flags)
                   + little<quint16>(options.method) + little<quint32>(0)
                   + little<quint32>(options.dataDescriptor ? 0 : crc)
                   + little<quint32>(options.dataDescriptor ? 0 : static_cast<quint32>(data.size()))
                   + little<quint32>(options.dataDescriptor ? 0 : static_cast<quint32>(data.size()))
                   + little<quint16>(static_cast<quint16>(name.size()))
                   + little<quint16>(static_cast<quint16>(extra.size())) + name + extra;
        const qint64 dataOffset = m_bytes.size();
        m_bytes += data;
        if (options.dataDescriptor)
            m_bytes += little<quint32>(0x08074b50) + little<quint32>(crc)
                       + little<quint32>(static_cast<quint32>(data.size()))
                       + little<quint32>(static_cast<quint32>(data.size()));
        addDirectoryEntry(name, crc, data.size(), offset, options.method, flags);
        return dataOffset;
    }
    qint64 add(const QByteArray &name, const QByteArray &data) { return add(name, data, Options()); }

    // A central-directory entry alone, pointing wherever it is told.
    void addDirectoryEntry(const QByteArray &name, quint32 crc, qint64 size, qint64 headerOffset, quint16 method = 0,
                           quint16 flags = 0x0800)
    {
        m_directory += little<quint32>(0x02014b50) + little<quint16>(20) + little<quint16>(20) + little<quint16>(flags)
                       + little<quint16>(method) + little<quint32>(0) + little<quint32>(crc)
                       + little<quint32>(static_cast<quint32>(size)) + little<quint32>(static_cast<quint32>(size))
                       + little<quint16>(static_cast<quint16>(name.size())) + little<quint16>(0) + little<quint16>(0)
                       + little<quint16>(0) + little<quint16>(0) + little<quint32>(0)
                       + little<quint32>(static_cast<quint32>(headerOffset)) + name;
        ++m_count;
    }

    // zip64: also the ZIP64 end record and locator, as torch.save writes
    // them; saturated: the plain end record only points to them.
    QByteArray finish(bool zip64 = false, bool saturated = false) const
    {
        QByteArray out = m_bytes;
        const qint64 directoryOffset = out.size();
        out += m_directory;
        if (zip64) {
            const qint64 recordOffset = out.size();
            out += little<quint32>(0x06064b50) + little<quint64>(44) + little<quint16>(45) + little<quint16>(45)
                   + little<quint32>(0) + little<quint32>(0) + little<quint64>(m_count) + little<quint64>(m_count)
                   + little<quint64>(m_directory.size()) + little<quint64>(directoryOffset);
            out += little<quint32>(0x07064b50) + little<quint32>(0) + little<quint64>(recordOffset)
                   + little<quint32>(1);
        }
        const quint16 count = saturated ? 0xffff : static_cast<quint16>(m_count);
        out += little<quint32>(0x06054b50) + little<quint16>(0) + little<quint16>(0) + little<quint16>(count)
               + little<quint16>(count)
               + little<quint32>(saturated ? 0xffffffff : static_cast<quint32>(m_directory.size()))
               + little<quint32>(saturated ? 0xffffffff : static_cast<quint32>(directoryOffset)) + little<quint16>(0);
        return out;
    }

    qint64 size() const { return m_bytes.size(); }

private:
    QByteArray m_bytes;
    QByteArray m_directory;
    int m_count = 0;
};

// A pickle written opcode by opcode (protocol 2, as torch.save writes it).
class Pickle
{
public:
    Pickle() { m_bytes += QByteArray::fromHex("8002"); }

    Pickle &op(char opcode)
    {
        m_bytes += opcode;
        return *this;
    }
    Pickle &global(const QByteArray &module, const QByteArray &name)
    {
        m_bytes += 'c' + module + '\n' + name + '\n';
        return *this;
    }
    Pickle &string(const QByteArray &text)
    {
        m_bytes += 'X' + little<quint32>(static_cast<quint32>(text.size())) + text;
        return *this;
    }
    Pickle &integer(qint64 value)
    {
        if (value >= 0 && value < 256)
            m_bytes += 'K' + QByteArray(1, static_cast<char>(value));
        else
            m_bytes += QByteArray::fromHex("8a08") + little<qint64>(value); // LONG1, 8 bytes
        return *this;
    }
    Pickle &tuple(const std::vector<qint64> &values)
    {
        op('(');
        for (const qint64 v : values)
            integer(v);
        return op('t');
    }
    // _rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, sizes, strides, False, OrderedDict())
    Pickle &tensor(const QByteArray &storageType, const QByteArray &key, qint64 numel, qint64 offset,
                   const std::vector<qint64> &sizes, const std::vector<qint64> &strides)
    {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        op('(').string("storage").global("torch", storageType).string(key).string("cpu").integer(numel).op('t');
        op('Q').integer(offset).tuple(sizes).tuple(strides).op('\x89');
        global("collections", "OrderedDict").op(')').op('R');
        return op('t').op('R');
    }
    Pickle &stop() { return op('.'); }
    const QByteArray &bytes() const { return m_bytes; }

private:
    QByteArray m_bytes;
};

struct HandTensor
{
    QByteArray name;
    QByteArray storageType;
    QByteArray key;
    qint64 numel;
    qint64 offset;
    std::vector<qint64> sizes;
    std::vector<qint64> strides;
};

// An OrderedDict of tensors, as torch.save writes a state dict.
QByteArray stateDictPickle(const std::vector<HandTensor> &tensors)
{
    Pickle p;
    p.global("collections", "OrderedDict").op(')').op('R').op('(');
    for (const HandTensor &t : tensors)
        p.string(t.name).tensor(t.storageType, t.key, t.numel, t.offset, t.sizes, t.strides);
    return p.op('u').stop().bytes();
}

// The torch.save zip layout around a pickle and its storages.
QByteArray torchZip(const QByteArray &pickle, const std::vector<std::pair<QByteArray, QByteArray>> &storages,
                    const ZipWriter::Options &options = {})
{
    ZipWriter zip;
    zip.add("archive/data.pkl", pickle, options);
    for (const auto &[key, bytes] : storages)
        zip.add("archive/data/" + key, bytes, options);
    zip.add("archive/version", "3\n", options);
    return zip.finish(true);
}

QByteArray floatBytes(const std::vector<float> &values)
{
    return QByteArray(reinterpret_cast<const char *>(values.data()), static_cast<qsizetype>(values.size() * 4));
}

// --- files as LibTorch writes them

// torch::pickle_save: the torch.save zip layout, written by LibTorch's own
// PyTorchStreamWriter (data.pkl, data/<key>, version).
QByteArray libtorchSaved(const TensorMap &tensors)
{
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto &[name, tensor] : tensors)
        dict.insert(name, tensor);
    const std::vector<char> bytes = torch::pickle_save(dict);
    return QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
}

// What LibTorch's own reader makes of a file: the oracle.
TensorMap libtorchLoaded(const QByteArray &bytes)
{
    const torch::IValue value = torch::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
    TensorMap tensors;
    for (const auto &entry : value.toGenericDict())
        tensors.emplace(entry.key().toStringRef(), entry.value().toTensor());
    return tensors;
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

void writePytorchFolder(const QString &folder, const QJsonObject &configJson, const TensorMap &tensors)
{
    QDir().mkpath(folder);
    writeJson(QDir(folder).filePath("config.json"), configJson);
    writeBytes(QDir(folder).filePath("pytorch_model.bin"), libtorchSaved(tensors));
}

bool sameStorage(const torch::Tensor &a, const torch::Tensor &b)
{
    return a.storage().data() == b.storage().data();
}

} // namespace

class TestPytorchCheckpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsLibTorchFilesOfEveryDtype_data()
    {
        QTest::addColumn<c10::ScalarType>("type");
        for (const auto type : {torch::kFloat64, torch::kFloat32, torch::kFloat16, torch::kBFloat16, torch::kInt64,
                                torch::kInt32, torch::kInt16, torch::kInt8, torch::kUInt8, torch::kBool})
            QTest::newRow(c10::toString(type)) << type;
    }

    // Bit for bit, with the strides, offsets and shared storages LibTorch's own reader gives.
    void readsLibTorchFilesOfEveryDtype()
    {
        QFETCH(c10::ScalarType, type);
        QTemporaryDir dir;
        const QString path = dir.filePath("pytorch_model.bin");
        const torch::Tensor matrix = sample(type, {5, 3}, 1);
        const TensorMap tensors{
            {"matrix", matrix},
            {"transposed", matrix.t()},                           // shares matrix's storage
            {"slice", sample(type, {4, 6}, 3).slice(1, 1, 5, 2)}, // strided, with a storage offset
            {"scalar", sample(type, {}, 4)},
            {"empty", torch::empty({0, 4}, torch::TensorOptions(type))},
        };
        const QByteArray bytes = libtorchSaved(tensors);
        writeBytes(path, bytes);

        const WeightsContents read = readPytorchCheckpoint(path);
        QCOMPARE(read.path, path);
        QVERIFY(read.metadata.empty());
        QCOMPARE(firstDifference(read.tensors, tensors), QString());
        const TensorMap oracle = libtorchLoaded(bytes);
        for (const auto &[name, tensor] : read.tensors) {
            QVERIFY2(bitwiseEqual(tensor, oracle.at(name)), name.c_str());
            QCOMPARE(tensor.strides(), oracle.at(name).strides());
            QCOMPARE(tensor.storage_offset(), oracle.at(name).storage_offset());
            QVERIFY(tensor.scalar_type() == type);
        }
        QVERIFY(sameStorage(read.tensors.at("matrix"), read.tensors.at("transposed")));
        QVERIFY(!read.tensors.at("transposed").is_contiguous());
        QCOMPARE(read.tensors.at("slice").storage_offset(), int64_t(1));
        QCOMPARE(read.tensors.at("scalar").dim(), int64_t(0));
    }

    // Aligned storages are used where they lie: the tensor's memory is the
    // file's mapping, which outlives the contents it came with.
    void alignedStoragesAreNotCopied()
    {
#ifndef Q_OS_LINUX
        QSKIP("reads /proc/self/maps");
#endif
        QTemporaryDir dir;
        const QString path = dir.filePath("big.bin");
        const torch::Tensor big = sample(torch::kFloat32, {256, 256}, 7);
        writeBytes(path, libtorchSaved({{"big", big}}));
        const QByteArray before = readBytes(path);
        torch::Tensor survivor;
        {
            WeightsContents read = readPytorchCheckpoint(path);
            survivor = read.tensors.at("big");
            QCOMPARE(mappedFileOf(survivor.data_ptr()), QFileInfo(path).canonicalFilePath());
        }
        QVERIFY(bitwiseEqual(survivor, big));
        // Copy-on-write: an in-place op changes the tensor, never the file.
        survivor.add_(1.0f);
        QCOMPARE(readBytes(path), before);
    }

    void misalignedStoragesAreCopied()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("odd.bin");
        const QByteArray pickle = stateDictPickle({{"w", "FloatStorage", "0", 2, 0, {2}, {1}}});
        ZipWriter::Options odd;
        odd.misalign = 1;
        writeBytes(path, torchZip(pickle, {{"0", floatBytes({1.5f, -2.0f})}}, odd));
        const torch::Tensor w = readPytorchCheckpoint(path).tensors.at("w");
        QCOMPARE(reinterpret_cast<quintptr>(w.data_ptr()) % 4, quintptr(0));
        QCOMPARE(w[0].item<float>(), 1.5f);
        QCOMPARE(w[1].item<float>(), -2.0f);
    }

    // One storage of 12 floats seen three ways, by a pickle written by hand.
    void handMadeViewsOfOneStorage()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("views.bin");
        std::vector<float> values(12);
        for (int i = 0; i < 12; ++i)
            values[static_cast<size_t>(i)] = static_cast<float>(i);
        const QByteArray pickle = stateDictPickle({
            {"whole", "FloatStorage", "0", 12, 0, {3, 4}, {4, 1}},
            {"block", "FloatStorage", "0", 12, 5, {2, 2}, {4, 1}},     // rows 1-2, columns 1-2
            {"columns", "FloatStorage", "0", 12, 0, {4, 3}, {1, 4}},   // the transpose
            {"broadcast", "FloatStorage", "0", 12, 2, {3, 2}, {0, 1}}, // a zero stride
            {"other", "DoubleStorage", "1", 1, 0, {}, {}},
            {"repeated", "DoubleStorage", "1", 1, 0, {4}, {0}}, // more elements than its storage, as expand makes
        });
        double one = 0.25;
        writeBytes(path, torchZip(pickle, {{"0", floatBytes(values)},
                                           {"1", QByteArray(reinterpret_cast<const char *>(&one), 8)}}));
        const WeightsContents read = readPytorchCheckpoint(path);
        const torch::Tensor whole = torch::arange(12, torch::kFloat32).reshape({3, 4});
        QVERIFY(torch::equal(read.tensors.at("whole"), whole));
        QVERIFY(torch::equal(read.tensors.at("block"), whole.slice(0, 1, 3).slice(1, 1, 3)));
        QVERIFY(torch::equal(read.tensors.at("columns"), whole.t()));
        QVERIFY(torch::equal(read.tensors.at("broadcast"), torch::tensor({2.0f, 3.0f}).expand({3, 2})));
        QCOMPARE(read.tensors.at("other").item<double>(), 0.25);
        QVERIFY(torch::equal(read.tensors.at("repeated"), torch::full({4}, 0.25, torch::kFloat64)));
        QVERIFY(sameStorage(read.tensors.at("whole"), read.tensors.at("block")));
        QVERIFY(sameStorage(read.tensors.at("whole"), read.tensors.at("columns")));
        QCOMPARE(read.tensors.at("block").storage_offset(), int64_t(5));
    }

    // What Python's torch.save writes for model.state_dict(): the OrderedDict
    // gets its _metadata by BUILD; parameters come through _rebuild_parameter.
    void stateDictWithMetadataAndParameters()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("state.bin");
        Pickle p;
        p.global("collections", "OrderedDict").op('q').op('\0').op(')').op('R').op('(');
        p.string("weight").tensor("FloatStorage", "0", 2, 0, {2}, {1});
        p.string("param").global("torch._utils", "_rebuild_parameter").op('(');
        p.tensor("FloatStorage", "0", 2, 1, {1}, {1}).op('\x88').op('h').op('\0').op(')').op('R').op('t').op('R');
        p.op('u');
        // BUILD with {'_metadata': OrderedDict({'': {'version': 1}})}
        p.op('}').string("_metadata").op('h').op('\0').op(')').op('R').string("").op('}').string("version").integer(1);
        p.op('s').op('s').op('s').op('b').stop();
        writeBytes(path, torchZip(p.bytes(), {{"0", floatBytes({3.0f, 4.0f})}}));
        const WeightsContents read = readPytorchCheckpoint(path);
        QCOMPARE(read.tensors.size(), size_t(2));
        QVERIFY(torch::equal(read.tensors.at("weight"), torch::tensor({3.0f, 4.0f})));
        QVERIFY(torch::equal(read.tensors.at("param"), torch::tensor({4.0f})));
    }

    // Protocol 4's opcodes, as torch.save(..., pickle_protocol=4) writes them.
    void protocolFourPickle()
    {
        QByteArray p = QByteArray::fromHex("8004");
        auto shortString = [](const QByteArray &text) {
            return "\x8c" + QByteArray(1, char(text.size())) + text + "\x94";
        };
        QByteArray body = shortString("collections") + shortString("OrderedDict") + "\x93\x94)R\x94("
                          + shortString("w");
        body += shortString("torch._utils") + shortString("_rebuild_tensor_v2") + "\x93\x94(";
        body += "(" + shortString("storage") + shortString("torch") + shortString("HalfStorage") + "\x93\x94"
                + shortString("0") + shortString("cpu") + "K\x01t\x94Q";
        // offset 0, sizes (1,), strides (1,), False, OrderedDict() from memo 2, then the calls and SETITEMS.
        body += QByteArray::fromHex("4b00"
                                    "4b0185"
                                    "4b0185"
                                    "89"
                                    "6802"
                                    "2952"
                                    "94"
                                    "7494"
                                    "5294"
                                    "75"
                                    "2e");
        p += "\x95" + little<quint64>(static_cast<quint64>(body.size())) + body;
        const std::vector<PickledTensor> tensors = readPickledTensors(p, "f", "data.pkl");
        QCOMPARE(tensors.size(), size_t(1));
        QCOMPARE(tensors[0].name, std::string("w"));
        QVERIFY(tensors[0].dtype == StorageDtype::Float16);
        QVERIFY(tensors[0].sizes == std::vector<qint64>({1}));
        QCOMPARE(tensors[0].storageKey, QStringLiteral("0"));
    }

    void refusedGlobals_data()
    {
        QTest::addColumn<QByteArray>("module");
        QTest::addColumn<QByteArray>("name");
        QTest::newRow("os.system") << QByteArray("os") << QByteArray("system");
        QTest::newRow("posix.system") << QByteArray("posix") << QByteArray("system");
        QTest::newRow("builtins.eval") << QByteArray("builtins") << QByteArray("eval");
        QTest::newRow("__builtin__.getattr") << QByteArray("__builtin__") << QByteArray("getattr");
        QTest::newRow("torch.load") << QByteArray("torch") << QByteArray("load");
        QTest::newRow("torch._utils._rebuild_qtensor") << QByteArray("torch._utils") << QByteArray("_rebuild_qtensor");
    }

    // GLOBAL os system; REDUCE ("touch <file>",): refused by name, and nothing runs.
    void refusedGlobals()
    {
        QFETCH(QByteArray, module);
        QFETCH(QByteArray, name);
        QTemporaryDir dir;
        const QString path = dir.filePath("evil.bin");
        const QString witness = dir.filePath("ran");
        Pickle p;
        p.global(module, name).op('(').string("touch " + QFile::encodeName(witness)).op('t').op('R').stop();
        writeBytes(path, torchZip(p.bytes(), {}));
        const QString message = errorOf([&] { readPytorchCheckpoint(path); });
        QVERIFY2(message.startsWith(path + ": archive/data.pkl, byte 2: "), qPrintable(message));
        QVERIFY2(message.contains(QString::fromLatin1("'" + module + "." + name + "'")), qPrintable(message));
        QVERIFY(!QFileInfo::exists(witness));
    }

    void contentsThatAreNotTensors_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("problem");
        QTest::newRow("list") << Pickle().op(']').op('(').integer(1).op('e').stop().bytes()
                              << "holds a list, not a dictionary of tensors";
        QTest::newRow("number") << Pickle().integer(7).stop().bytes() << "holds the integer 7, not a dictionary";
        QTest::newRow("nested dict")
            << Pickle().op('}').string("state_dict").op('}').op('s').stop().bytes()
            << "holds a dictionary whose entry 'state_dict' is a dictionary, not a dictionary of tensors";
        QTest::newRow("number key") << Pickle().op('}').integer(3).op('N').op('s').stop().bytes()
                                    << "holds a dictionary with the integer 3 as a key";
        QTest::newRow("name twice") << Pickle()
                                           .op('}')
                                           .op('(')
                                           .string("w")
                                           .tensor("FloatStorage", "0", 1, 0, {1}, {1})
                                           .string("w")
                                           .tensor("FloatStorage", "0", 1, 0, {1}, {1})
                                           .op('u')
                                           .stop()
                                           .bytes()
                                    << "names tensor 'w' twice";
    }

    void contentsThatAreNotTensors()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath("odd.bin");
        writeBytes(path, torchZip(pickle, {{"0", floatBytes({1.0f})}}));
        const QString message = errorOf([&] { readPytorchCheckpoint(path); });
        QVERIFY2(message.startsWith(path + ": holds "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    void malformedPickles_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("problem");
        QTest::newRow("no STOP") << Pickle().op('}').bytes() << "byte 3: the pickle ends before its STOP opcode";
        QTest::newRow("empty stack") << Pickle().op('t').bytes() << "needs a MARK that was never set";
        QTest::newRow("pop below mark") << Pickle().op('}').op('(').op('s').bytes() << "from an empty stack";
        QTest::newRow("unknown opcode") << Pickle().op('i').bytes() << "opcode 0x69 is not one torch.save writes";
        QTest::newRow("memo unset") << Pickle().op('h').op('\x05').bytes() << "memo entry 5 is read before";
        QTest::newRow("huge memo index") << Pickle().op('N').op('r').op('\xff').op('\xff').op('\xff').op('\xff').bytes()
                                         << "memo index 4294967295";
        QTest::newRow("string past end") << Pickle().op('X').op('\xff').op('\0').op('\0').op('\0').bytes()
                                         << "ends inside an opcode's argument";
        QTest::newRow("bad persistent id")
            << Pickle().op('(').string("storage").op('t').op('Q').bytes() << "a persistent id is not ('storage'";
        QTest::newRow("storage key with a slash")
            << Pickle().tensor("FloatStorage", "../x", 1, 0, {1}, {1}).bytes() << "storage key '../x' cannot name";
        QTest::newRow("negative size") << Pickle().tensor("FloatStorage", "0", 1, 0, {-1}, {1}).bytes()
                                       << "size entry is negative";
        QTest::newRow("storage declared twice")
            << Pickle().tensor("FloatStorage", "0", 1, 0, {1}, {1}).tensor("HalfStorage", "0", 1, 0, {1}, {1}).bytes()
            << "storage '0' is declared as 1 elements of FloatStorage and as 1 "
               "elements of HalfStorage";
        QTest::newRow("call a storage type")
            << Pickle().global("torch", "FloatStorage").op(')').op('R').bytes() << "REDUCE calls a torch type";
        QTest::newRow("BUILD on a list") << Pickle().op(']').op('}').op('b').bytes()
                                         << "BUILD sets the state of a list";
        QTest::newRow("trailing bytes") << Pickle().op('}').stop().op('N').bytes() << "1 bytes follow the STOP opcode";
        QTest::newRow("integer too wide")
            << Pickle().op('\x8a').op('\x09').bytes() + QByteArray(9, '\0') << "wider than 64 bits";
    }

    void malformedPickles()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, problem);
        const QString message = errorOf([&] { readPickledTensors(pickle, "f.bin", "archive/data.pkl"); });
        QVERIFY2(message.startsWith("f.bin: archive/data.pkl, byte "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    // Objects and references are capped, so a pickle of repeated opcodes
    // cannot take the memory a real checkpoint never needs.
    void hostilePickleIsCapped()
    {
        QByteArray many = QByteArray::fromHex("8002") + QByteArray(kMaxPickleObjects + 10, ']');
        QString message = errorOf([&] { readPickledTensors(many, "f", "data.pkl"); });
        QVERIFY2(message.contains("more than 2000000 objects"), qPrintable(message));
        QByteArray gets = QByteArray::fromHex("80024e7100"); // None, memo 0
        for (qint64 i = 0; i < kMaxPickleReferences + 10; ++i)
            gets += QByteArray::fromHex("6800"); // get memo 0
        message = errorOf([&] { readPickledTensors(gets, "f", "data.pkl"); });
        QVERIFY2(message.contains("more than 16000000 references"), qPrintable(message));
    }

    void storageProblems_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("problem");
        QTest::newRow("storage shorter than declared")
            << torchZip(stateDictPickle({{"w", "FloatStorage", "0", 4, 0, {4}, {1}}}), {{"0", floatBytes({1, 2})}})
            << "storage record 'archive/data/0' holds 8 bytes, but the pickle declares 4 elements of FloatStorage "
               "(16 bytes) (tensor 'w')";
        QTest::newRow("tensor past its storage")
            << torchZip(stateDictPickle({{"w", "FloatStorage", "0", 2, 1, {2}, {1}}}), {{"0", floatBytes({1, 2})}})
            << "sizes [2], strides [1] and offset 1 reach past the 2 elements of storage '0' (tensor 'w')";
        QTest::newRow("strides past the storage") << torchZip(
            stateDictPickle({{"w", "FloatStorage", "0", 4, 0, {2, 2}, {3, 1}}}), {{"0", floatBytes({1, 2, 3, 4})}})
                                                  << "(tensor 'w')";
        QTest::newRow("stride overflow") << torchZip(
            stateDictPickle({{"w", "FloatStorage", "0", 1, 0, {2, 2}, {qint64(1) << 62, qint64(1) << 62}}}),
            {{"0", floatBytes({1})}}) << "reach past the 1 elements of storage '0' (tensor 'w')";
        QTest::newRow("broadcast bomb")
            << torchZip(stateDictPickle({{"w", "FloatStorage", "0", 1, 0, {1 << 20, 1 << 20}, {0, 0}}}),
                        {{"0", floatBytes({1})}})
            << "sizes [1048576, 1048576] and strides [0, 0] repeat the 1 elements of storage '0' into more than "
               "16777216 (tensor 'w')";
        QTest::newRow("missing storage") << torchZip(stateDictPickle({{"w", "FloatStorage", "7", 1, 0, {1}, {1}}}), {})
                                         << "storage record 'archive/data/7' is missing (tensor 'w')";
        QTest::newRow("bool other than 0 or 1")
            << torchZip(stateDictPickle({{"b", "BoolStorage", "0", 2, 0, {2}, {1}}}), {{"0", QByteArray("\x01\x02")}})
            << "holds a bool byte other than 0 or 1 (tensor 'b')";
    }

    void storageProblems()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.bin");
        writeBytes(path, file);
        const QString message = errorOf([&] { readPytorchCheckpoint(path); });
        QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    // An empty tensor touches no element, wherever its offset points.
    void emptyTensorAnywhere()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("empty.bin");
        writeBytes(path, torchZip(stateDictPickle({{"e", "FloatStorage", "0", 0, 0, {0, 3}, {3, 1}}}), {{"0", {}}}));
        QCOMPARE(readPytorchCheckpoint(path).tensors.at("e").sizes(), c10::IntArrayRef({0, 3}));
    }

    void archiveProblems_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("problem");
        const QByteArray good = libtorchSaved({{"w", torch::arange(16, torch::kFloat32)}});
        QTest::newRow("truncated") << good.left(good.size() / 2) << "no end-of-central-directory record";
        QTest::newRow("last byte cut") << good.chopped(1) << "no end-of-central-directory record";
        QTest::newRow("tiny") << QByteArray("PK\x03\x04") << "shorter than a zip's end record";
        QTest::newRow("empty zip") << ZipWriter().finish() << "a zip archive without a data.pkl";
        {
            QByteArray flipped = good;
            const QByteArray data = floatBytes({5.0f, 6.0f});
            flipped[flipped.indexOf(data)] = 'X';
            QTest::newRow("CRC mismatch") << flipped << "zip entry 'archive/data/0' is corrupt: its CRC-32 is";
        }
        {
            const std::string pickle = "\x80\x02}.";
            std::string out;
            caffe2::serialize::PyTorchStreamWriter writer([&](const void *data, size_t size) {
                out.append(static_cast<const char *>(data), size);
                return size;
            });
            writer.writeRecord("data.pkl", pickle.data(), pickle.size());
            const std::string zeros(4096, '\0');
            writer.writeRecord("data/0", zeros.data(), zeros.size(), true);
            writer.writeEndOfFile();
            QTest::newRow("compressed entry")
                << QByteArray::fromStdString(out) << "zip entry 'archive/data/0' is compressed (deflate)";
        }
        {
            ZipWriter zip;
            zip.add("archive/data.pkl", "\x80\x02}.");
            zip.add("archive/data.pkl", "\x80\x02}.");
            QTest::newRow("duplicate name") << zip.finish() << "zip entry 'archive/data.pkl' appears twice";
        }
        {
            ZipWriter zip;
            zip.add("archive/../data.pkl", "\x80\x02}.");
            QTest::newRow("dot-dot name") << zip.finish() << "has a name that holds a \"..\" component";
        }
        {
            ZipWriter zip;
            zip.add("/archive/data.pkl", "\x80\x02}.");
            QTest::newRow("absolute name") << zip.finish() << "has a name that is an absolute path";
        }
        {
            // A second entry hidden inside the first one's data: the overlap of zip bombs.
            ZipWriter inner;
            inner.add("archive/data/0", floatBytes({1.0f}));
            const QByteArray innerHeader = inner.finish().left(static_cast<qsizetype>(inner.size()));
            ZipWriter zip;
            zip.add("archive/data.pkl", "\x80\x02}.");
            const qint64 at = zip.add("archive/x", innerHeader);
            zip.addDirectoryEntry("archive/data/0", crc32Of(floatBytes({1.0f})), 4, at);
            QTest::newRow("overlapping entries")
                << zip.finish() << "zip entry 'archive/data/0' overlaps entry 'archive/x'";
        }
        {
            ZipWriter zip;
            zip.add("archive/data.pkl", "\x80\x02}.");
            zip.addDirectoryEntry("archive/data/0", 0, 1'000'000, 0);
            QTest::newRow("entry past the end") << zip.finish() << "zip entry 'archive/data/0' lies past the end";
        }
        {
            ZipWriter zip;
            zip.add("archive/data.pkl", "\x80\x02}.");
            zip.addDirectoryEntry("archive/data/0", 0, 4, 0x10);
            QTest::newRow("no local header")
                << zip.finish() << "zip entry 'archive/data/0' has no local header at offset 16";
        }
        {
            ZipWriter zip;
            zip.add("archive/data.pkl", "\x80\x02}.");
            zip.addDirectoryEntry("archive/data/0", 0, 4, 0);
            QTest::newRow("header of another entry") << zip.finish() << "has another name in its local header";
        }
        {
            ZipWriter zip;
            ZipWriter::Options described; // so only the directory states the size
            described.dataDescriptor = true;
            zip.add("archive/data.pkl", "\x80\x02}.", described);
            zip.add("archive/data/0", floatBytes({1.0f}));
            QByteArray bytes = zip.finish();
            // The data.pkl entry's directory record claims more bytes than lie before the directory.
            const qsizetype directory = bytes.indexOf(QByteArray::fromHex("504b0102"));
            qToLittleEndian<quint32>(200, bytes.data() + directory + 20);
            qToLittleEndian<quint32>(200, bytes.data() + directory + 24);
            QTest::newRow("data into the directory") << bytes << "runs into the central directory";
        }
        {
            ZipWriter zip;
            zip.add("archive/data.pkl", "\x80\x02}.");
            QByteArray bytes = zip.finish();
            bytes.chop(22);
            bytes += little<quint32>(0x06054b50) + little<quint16>(0) + little<quint16>(0) + little<quint16>(1)
                     + little<quint16>(1) + little<quint32>(46 + 16) + little<quint32>(0x7fffffff) + little<quint16>(0);
            QTest::newRow("directory past the end") << bytes << "its central directory (62 bytes at offset 2147483647)";
        }
        {
            ZipWriter zip;
            ZipWriter::Options deflated;
            deflated.method = 8;
            zip.add("archive/data.pkl", "\x80\x02}.", deflated);
            QTest::newRow("deflate by hand") << zip.finish() << "zip entry 'archive/data.pkl' is compressed (deflate)";
        }
        {
            ZipWriter zip;
            zip.add("archive/data.pkl", "\x80\x02}.");
            QTest::newRow("ZIP64 pointers without records")
                << zip.finish(false, true) << "ZIP64 records, which are missing";
        }
        {
            Pickle p;
            p.op('}').stop();
            ZipWriter zip;
            zip.add("archive/data.pkl", p.bytes());
            zip.add("archive/byteorder", "big");
            QTest::newRow("big-endian") << zip.finish() << "was saved on a big-endian machine";
        }
        {
            ZipWriter zip;
            zip.add("a/data.pkl", "\x80\x02}.");
            zip.add("b/data.pkl", "\x80\x02}.");
            QTest::newRow("two pickles") << zip.finish() << "holds two pickles, 'a/data.pkl' and 'b/data.pkl'";
        }
        QTest::newRow("legacy format") << QByteArray::fromHex("80028a0a6cfc9c46f9206aa85019") + QByteArray(100, 'x')
                                       << "saved in the legacy torch.save format (before torch 1.6); re-save it with "
                                          "torch >= 1.6";
        QTest::newRow("plain pickle") << QByteArray::fromHex("80027d2e") << "not a PyTorch checkpoint";
        QTest::newRow("text") << QByteArray("hello") << "not a PyTorch checkpoint";
        QTest::newRow("empty file") << QByteArray() << "not a PyTorch checkpoint";
    }

    void archiveProblems()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.bin");
        writeBytes(path, file);
        const QString message = errorOf([&] { readPytorchCheckpoint(path); });
        QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    // Both ZIP64 variants read: records beside valid plain ones (torch.save),
    // and a plain record that only points to them (files past 4 GB).
    void zip64EndRecords()
    {
        QTemporaryDir dir;
        for (const bool saturated : {false, true}) {
            ZipWriter zip;
            zip.add("archive/data.pkl", stateDictPickle({{"w", "FloatStorage", "0", 1, 0, {1}, {1}}}));
            zip.add("archive/data/0", floatBytes({9.0f}));
            const QString path = dir.filePath(saturated ? "saturated.bin" : "plain.bin");
            writeBytes(path, zip.finish(true, saturated));
            QCOMPARE(readPytorchCheckpoint(path).tensors.at("w").item<float>(), 9.0f);
        }
    }

    // torch.save's own layout: sizes after the data, in data descriptors.
    void dataDescriptors()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("described.bin");
        ZipWriter::Options described;
        described.dataDescriptor = true;
        writeBytes(path, torchZip(stateDictPickle({{"w", "FloatStorage", "0", 1, 0, {1}, {1}}}),
                                  {{"0", floatBytes({2.5f})}}, described));
        QCOMPARE(readPytorchCheckpoint(path).tensors.at("w").item<float>(), 2.5f);
        const ZipArchive archive(path);
        QCOMPARE(archive.entries().size(), size_t(3));
        QCOMPARE(archive.find("archive/data/0")->size, qint64(4));
        QCOMPARE(archive.find("archive/data/0")->dataOffset % 64, qint64(0));
        QVERIFY(archive.find("archive/data/1") == nullptr);
    }

    void shardedCheckpoint()
    {
        QTemporaryDir dir;
        const TensorMap one{{"a", torch::ones({2})}, {"b", torch::arange(3, torch::kFloat16)}};
        const TensorMap two{{"c", torch::full({2, 2}, 7, torch::kInt64)}};
        writeBytes(dir.filePath("pytorch_model-00001-of-00002.bin"), libtorchSaved(one));
        writeBytes(dir.filePath("pytorch_model-00002-of-00002.bin"), libtorchSaved(two));
        const QString index = dir.filePath("pytorch_model.bin.index.json");
        writeBytes(index, R"({"metadata":{"total_size":52},"weight_map":{"a":"pytorch_model-00001-of-00002.bin",)"
                          R"("b":"pytorch_model-00001-of-00002.bin","c":"pytorch_model-00002-of-00002.bin"}})");
        TensorMap all = one;
        all.insert(two.begin(), two.end());
        for (const QString &entry : {index, dir.path()}) {
            const WeightsContents read = readModelWeights(entry);
            QCOMPARE(firstDifference(read.tensors, all), QString());
            QCOMPARE(read.path, index);
        }
        QCOMPARE(firstDifference(readPytorchCheckpointSharded(index).tensors, all), QString());
    }

    void brokenIndex_data()
    {
        QTest::addColumn<QByteArray>("index");
        QTest::addColumn<QString>("problem");
        const QByteArray one = "pytorch_model-00001-of-00002.bin";
        const QByteArray two = "pytorch_model-00002-of-00002.bin";
        // Shard one holds a and b, shard two holds c.
        QTest::newRow("missing shard") << QByteArray(R"({"weight_map":{"a":")" + one + R"(","b":")" + one
                                                     + R"(","c":"pytorch_model-00009-of-00009.bin"}})")
                                       << "shard 'pytorch_model-00009-of-00009.bin' named in weight_map does not exist";
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
        QTest::newRow("shard outside the folder")
            << QByteArray(R"({"weight_map":{"a":"../)" + one + R"("}})")
            << QString::fromLatin1("shard '../" + one + "' cannot be a file or folder name");
        QTest::newRow("no weight_map") << QByteArray(R"({"metadata":{}})") << "not a checkpoint index";
        QTest::newRow("not json") << QByteArray("{") << "not valid JSON";
        QTest::newRow("empty weight_map") << QByteArray(R"({"weight_map":{}})") << "weight_map is empty";
    }

    void brokenIndex()
    {
        QFETCH(QByteArray, index);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        writeBytes(dir.filePath("pytorch_model-00001-of-00002.bin"),
                   libtorchSaved({{"a", torch::ones({1})}, {"b", torch::ones({2})}}));
        writeBytes(dir.filePath("pytorch_model-00002-of-00002.bin"), libtorchSaved({{"c", torch::ones({3})}}));
        const QString indexPath = dir.filePath("pytorch_model.bin.index.json");
        writeBytes(indexPath, index);
        const QString message = errorOf([&] { readModelWeights(dir.path()); });
        QVERIFY2(message.startsWith(indexPath + ": "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    // Hugging Face's order: safetensors before .bin, a single file before shards.
    void folderPreferenceOrder()
    {
        QTemporaryDir dir;
        const QDir folder(dir.path());
        QCOMPARE(modelWeightsFileNames(), QStringList({"model.safetensors", "model.safetensors.index.json",
                                                       "pytorch_model.bin", "pytorch_model.bin.index.json"}));
        QString message = errorOf([&] { readModelWeights(dir.path()); });
        QCOMPARE(message, dir.path()
                              + ": holds neither model.safetensors, model.safetensors.index.json, pytorch_model.bin "
                                "nor pytorch_model.bin.index.json");

        writeBytes(folder.filePath("pytorch_model.bin.index.json"), "{}");
        QCOMPARE(findModelWeightsFile(dir.path()), folder.filePath("pytorch_model.bin.index.json"));
        writeBytes(folder.filePath("pytorch_model.bin"), libtorchSaved({{"from", torch::ones({1})}}));
        QCOMPARE(readModelWeights(dir.path()).path, folder.filePath("pytorch_model.bin"));
        QVERIFY(readModelWeights(dir.path()).tensors.count("from"));
        writeSafetensors(folder.filePath("model.safetensors"), {{"st", torch::ones({1})}}, {{"format", "pt"}});
        const WeightsContents read = readModelWeights(dir.path());
        QCOMPARE(read.path, folder.filePath("model.safetensors"));
        QVERIFY(read.tensors.count("st"));
        QCOMPARE(read.metadata.at("format"), std::string("pt"));

        // Files go by their names; .pt and .pth are torch.save zips too.
        for (const char *name : {"weights.pt", "weights.pth"}) {
            writeBytes(folder.filePath(name), libtorchSaved({{"x", torch::zeros({2})}}));
            QVERIFY(readModelWeights(folder.filePath(name)).tensors.count("x"));
        }
        writeBytes(folder.filePath("weights.ckpt"), "?");
        message = errorOf([&] { readModelWeights(folder.filePath("weights.ckpt")); });
        QVERIFY2(message.startsWith(folder.filePath("weights.ckpt") + ": is not a weights file"), qPrintable(message));
        // A safetensors file under a .bin name is not taken for one.
        writeSafetensors(folder.filePath("disguised.bin"), {{"st", torch::ones({1})}});
        message = errorOf([&] { readModelWeights(folder.filePath("disguised.bin")); });
        QVERIFY2(message.contains("not a PyTorch checkpoint"), qPrintable(message));
    }

    // A CLIP model folder with pytorch_model.bin loads as its safetensors twin does.
    void clipFolderFromPytorchBin()
    {
        QTemporaryDir dir;
        const TensorMap vision = randomVisionWeights(tinyConfig(), 11);
        TensorMap file = withFileKeys(vision, "vision_model.");
        file["vision_model.embeddings.position_ids"] = torch::arange(5, torch::kInt64).unsqueeze(0);
        file["logit_scale"] = torch::tensor(4.6052f);
        writeModelFolder(dir.filePath("safetensors"), visionConfigJson(tinyConfig()), file);
        writePytorchFolder(dir.filePath("bin"), visionConfigJson(tinyConfig()), file);

        const Checkpoint reference = Checkpoint::load(dir.filePath("safetensors"));
        for (const QString &path : {dir.filePath("bin"), dir.filePath("bin/pytorch_model.bin")}) {
            const Checkpoint checkpoint = Checkpoint::load(path);
            QCOMPARE(firstDifference(checkpoint.vision, reference.vision), QString());
            QCOMPARE(firstDifference(checkpoint.passthrough, reference.passthrough), QString());
            QCOMPARE(checkpoint.keyPrefix, reference.keyPrefix);
            QVERIFY(checkpoint.config.sameArchitecture(reference.config));
            requireSameArchitecture(reference, checkpoint);
        }
        QCOMPARE(firstDifference(Checkpoint::load(dir.filePath("bin")).vision, vision), QString());

        // Problems with its tensors name pytorch_model.bin.
        file.erase("vision_model.post_layernorm.bias");
        writePytorchFolder(dir.filePath("broken"), visionConfigJson(tinyConfig()), file);
        const QString message = errorOf([&] { Checkpoint::load(dir.filePath("broken")); });
        QVERIFY2(message.startsWith(QDir(dir.filePath("broken")).filePath("pytorch_model.bin") + ": vision tensor"),
                 qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestPytorchCheckpoint)
#include "test_pytorch_checkpoint.moc"
