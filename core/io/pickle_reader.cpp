#include "io/pickle_reader.h"

#include "common/error.h"
#include "common/printable_text.h"
#include "io/path_component.h"

#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtCore/QStringDecoder>
#include <QtCore/QtEndian>

#include <algorithm>
#include <optional>
#include <string_view>

namespace wemoe {

namespace {

struct StorageType
{
    StorageDtype dtype;
    const char *className;
    int elementSize;
};

constexpr StorageType kStorageTypes[] = {
    {StorageDtype::Float64, "DoubleStorage", 8}, {StorageDtype::Float32, "FloatStorage", 4},
    {StorageDtype::Float16, "HalfStorage", 2},   {StorageDtype::BFloat16, "BFloat16Storage", 2},
    {StorageDtype::Int64, "LongStorage", 8},     {StorageDtype::Int32, "IntStorage", 4},
    {StorageDtype::Int16, "ShortStorage", 2},    {StorageDtype::Int8, "CharStorage", 1},
    {StorageDtype::UInt8, "ByteStorage", 1},     {StorageDtype::Bool, "BoolStorage", 1},
};

const StorageType &storageType(StorageDtype dtype)
{
    for (const StorageType &type : kStorageTypes) {
        if (type.dtype == dtype)
            return type;
    }
    return kStorageTypes[1];
}

// What an allowed global is for. Nothing is ever looked up by name at run
// time: the pickle can only reach these.
enum class Role : quint8 { OrderedDict, RebuildTensor, RebuildParameter, RestoreTypeTag, Storage, Dtype };

constexpr const char *kDtypeNames[] = {"float64", "double", "float32", "float", "float16", "half", "bfloat16", "int64",
                                       "long",    "int32",  "int",     "int16", "short",   "int8", "uint8",    "bool"};

struct Global
{
    Role role;
    StorageDtype dtype = StorageDtype::Float32; // Role::Storage
};

// The role of module.name, or nothing when it is not allowed.
std::optional<Global> allowedGlobal(std::string_view module, std::string_view name)
{
    if (module == "collections" && name == "OrderedDict")
        return Global{Role::OrderedDict};
    if (module == "torch._utils" && name == "_rebuild_tensor_v2")
        return Global{Role::RebuildTensor};
    if (module == "torch._utils" && name == "_rebuild_parameter")
        return Global{Role::RebuildParameter};
    if (module == "torch.jit._pickle" && name == "restore_type_tag")
        return Global{Role::RestoreTypeTag};
    if (module != "torch")
        return std::nullopt;
    for (const StorageType &type : kStorageTypes) {
        if (name == type.className)
            return Global{Role::Storage, type.dtype};
    }
    for (const char *dtype : kDtypeNames) {
        if (name == dtype)
            return Global{Role::Dtype};
    }
    return std::nullopt;
}

enum class Kind : quint8 { None, Bool, Int, Float, String, Bytes, Tuple, List, Dict, Global, Storage, Tensor };

// One object the pickle made. Containers refer to others by index, so shared
// and even self-referring objects need no ownership graph.
struct Value
{
    Kind kind = Kind::None;
    Global global{Role::Dtype}; // Kind::Global
    qint64 integer = 0;         // Bool, Int; the record's index for Storage and Tensor
    std::string_view text;      // String, Bytes: a view into the pickle
    std::vector<int> items;     // Tuple, List; Dict: key, value, key, value, ...
};

struct StorageRecord
{
    QString key;
    StorageDtype dtype;
    qint64 numel;
};

struct TensorRecord
{
    int storage;
    qint64 offset;
    std::vector<qint64> sizes;
    std::vector<qint64> strides;
};

// Tensors of more dimensions than this are refused (torch allows 64 at most).
constexpr int kMaxDimensions = 64;
// A GLOBAL's module or name; Python's are far shorter.
constexpr qint64 kMaxGlobalNameBytes = 256;

namespace op {
constexpr quint8 Mark = '(';
constexpr quint8 Stop = '.';
constexpr quint8 BinFloat = 'G';
constexpr quint8 BinInt = 'J';
constexpr quint8 BinInt1 = 'K';
constexpr quint8 BinInt2 = 'M';
constexpr quint8 None = 'N';
constexpr quint8 BinPersId = 'Q';
constexpr quint8 Reduce = 'R';
constexpr quint8 BinString = 'T';
constexpr quint8 ShortBinString = 'U';
constexpr quint8 BinUnicode = 'X';
constexpr quint8 BinBytes = 'B';
constexpr quint8 ShortBinBytes = 'C';
constexpr quint8 Append = 'a';
constexpr quint8 Build = 'b';
constexpr quint8 Global = 'c';
constexpr quint8 Appends = 'e';
constexpr quint8 BinGet = 'h';
constexpr quint8 LongBinGet = 'j';
constexpr quint8 EmptyList = ']';
constexpr quint8 BinPut = 'q';
constexpr quint8 LongBinPut = 'r';
constexpr quint8 SetItem = 's';
constexpr quint8 Tuple = 't';
constexpr quint8 SetItems = 'u';
constexpr quint8 EmptyDict = '}';
constexpr quint8 EmptyTuple = ')';
constexpr quint8 Proto = 0x80;
constexpr quint8 Tuple1 = 0x85;
constexpr quint8 Tuple2 = 0x86;
constexpr quint8 Tuple3 = 0x87;
constexpr quint8 NewTrue = 0x88;
constexpr quint8 NewFalse = 0x89;
constexpr quint8 Long1 = 0x8a;
constexpr quint8 Long4 = 0x8b;
constexpr quint8 ShortBinUnicode = 0x8c;
constexpr quint8 BinUnicode8 = 0x8d;
constexpr quint8 BinBytes8 = 0x8e;
constexpr quint8 StackGlobal = 0x93;
constexpr quint8 Memoize = 0x94;
constexpr quint8 Frame = 0x95;
} // namespace op

QString utf8Text(std::string_view text, bool *valid = nullptr)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder(QByteArrayView(text.data(), static_cast<qsizetype>(text.size())));
    if (valid)
        *valid = !decoder.hasError();
    return decoded;
}

class Unpickler
{
public:
    Unpickler(QByteArrayView bytes, const QString &file, const QString &entryName)
        : m_bytes(bytes)
        , m_file(file)
        , m_entryName(entryName)
    {
    }

    std::vector<PickledTensor> run()
    {
        for (;;) {
            m_opcodeAt = m_at;
            if (m_at >= m_bytes.size())
                fail(QStringLiteral("the pickle ends before its STOP opcode"));
            const quint8 opcode = byte();
            if (opcode == op::Stop)
                return result();
            execute(opcode);
        }
    }

private:
    [[noreturn]] void fail(const QString &problem) const
    {
        throw Error(m_file, QStringLiteral("%1, byte %2: %3").arg(m_entryName).arg(m_opcodeAt).arg(problem));
    }

    // --- reading the byte stream

    QByteArrayView take(quint64 count)
    {
        if (count > static_cast<quint64>(m_bytes.size() - m_at))
            fail(QStringLiteral("the pickle ends inside an opcode's argument"));
        const QByteArrayView bytes = m_bytes.sliced(m_at, static_cast<qsizetype>(count));
        m_at += static_cast<qint64>(count);
        return bytes;
    }
    quint8 byte() { return static_cast<quint8>(take(1)[0]); }
    template<typename T>
    T little()
    {
        return qFromLittleEndian<T>(take(sizeof(T)).data());
    }
    std::string_view line()
    {
        // Only as far as the longest allowed name, so a hostile stream is never scanned whole.
        const QByteArrayView window = m_bytes.sliced(m_at).first(
            std::min<qsizetype>(m_bytes.size() - m_at, kMaxGlobalNameBytes + 1));
        const qsizetype length = window.indexOf('\n');
        if (length < 0 && window.size() > kMaxGlobalNameBytes)
            fail(QStringLiteral("a GLOBAL names a module or object longer than %1 bytes").arg(kMaxGlobalNameBytes));
        if (length < 0)
            fail(QStringLiteral("the pickle ends inside a GLOBAL's name"));
        const QByteArrayView text = take(static_cast<quint64>(length));
        take(1);
        return std::string_view(text.data(), static_cast<size_t>(text.size()));
    }

    // --- objects and the stack

    int make(Kind kind)
    {
        if (static_cast<qint64>(m_values.size()) >= kMaxPickleObjects)
            fail(QStringLiteral("the pickle makes more than %1 objects, more than a checkpoint needs")
                     .arg(kMaxPickleObjects));
        m_values.emplace_back();
        m_values.back().kind = kind;
        return static_cast<int>(m_values.size() - 1);
    }
    void count(qint64 references)
    {
        m_references += references;
        if (m_references > kMaxPickleReferences)
            fail(QStringLiteral("the pickle holds more than %1 references, more than a checkpoint needs")
                     .arg(kMaxPickleReferences));
    }
    void push(int id)
    {
        count(1);
        m_stack.push_back(id);
    }
    int pop()
    {
        if (m_stack.size() <= (m_marks.empty() ? 0 : m_marks.back()))
            fail(QStringLiteral("an opcode takes a value from an empty stack"));
        const int id = m_stack.back();
        m_stack.pop_back();
        return id;
    }
    int top()
    {
        if (m_stack.size() <= (m_marks.empty() ? 0 : m_marks.back()))
            fail(QStringLiteral("an opcode needs a value on an empty stack"));
        return m_stack.back();
    }
    std::vector<int> popToMark()
    {
        if (m_marks.empty())
            fail(QStringLiteral("an opcode needs a MARK that was never set"));
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<int> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark), m_stack.end());
        m_stack.resize(mark);
        return items;
    }
    Value &at(int id) { return m_values[static_cast<size_t>(id)]; }

    void pushInteger(qint64 value)
    {
        const int id = make(Kind::Int);
        at(id).integer = value;
        push(id);
    }
    void pushText(Kind kind, quint64 length)
    {
        const QByteArrayView bytes = take(length);
        const int id = make(kind);
        at(id).text = std::string_view(bytes.data(), static_cast<size_t>(bytes.size()));
        push(id);
    }
    void pushTuple(std::vector<int> items)
    {
        const int id = make(Kind::Tuple);
        at(id).items = std::move(items);
        push(id);
    }
    void pushLong(quint64 length)
    {
        if (length > 8)
            fail(QStringLiteral("an integer of %1 bytes is wider than 64 bits").arg(length));
        const QByteArrayView bytes = take(length);
        quint64 value = 0;
        for (qsizetype i = 0; i < bytes.size(); ++i)
            value |= static_cast<quint64>(static_cast<quint8>(bytes[i])) << (8 * i);
        // Two's complement of `length` bytes, sign-extended.
        if (length > 0 && length < 8 && (static_cast<quint8>(bytes[bytes.size() - 1]) & 0x80))
            value |= ~quint64(0) << (8 * length);
        pushInteger(static_cast<qint64>(value));
    }

    void memoize(quint64 index)
    {
        if (index >= static_cast<quint64>(kMaxPickleObjects))
            fail(QStringLiteral("memo index %1 is beyond the %2 objects a pickle may make")
                     .arg(index)
                     .arg(kMaxPickleObjects));
        if (index >= m_memo.size())
            m_memo.resize(static_cast<size_t>(index) + 1, -1);
        if (m_memo[index] < 0)
            ++m_memoCount;
        m_memo[index] = top();
    }
    void recall(quint64 index)
    {
        if (index >= m_memo.size() || m_memo[index] < 0)
            fail(QStringLiteral("memo entry %1 is read before it is written").arg(index));
        push(m_memo[index]);
    }

    // --- what a value is, for messages

    QString describe(int id)
    {
        const Value &value = at(id);
        switch (value.kind) {
        case Kind::None: return QStringLiteral("None");
        case Kind::Bool: return QStringLiteral("a boolean");
        case Kind::Int: return QStringLiteral("the integer %1").arg(value.integer);
        case Kind::Float: return QStringLiteral("a number");
        case Kind::String: return QStringLiteral("a string");
        case Kind::Bytes: return QStringLiteral("bytes");
        case Kind::Tuple: return QStringLiteral("a tuple");
        case Kind::List: return QStringLiteral("a list");
        case Kind::Dict: return QStringLiteral("a dictionary");
        case Kind::Global: return QStringLiteral("a torch type");
        case Kind::Storage: return QStringLiteral("a storage");
        case Kind::Tensor: return QStringLiteral("a tensor");
        }
        return QStringLiteral("an object");
    }

    // --- the opcodes

    void execute(quint8 opcode)
    {
        switch (opcode) {
        case op::Proto:
            if (const quint8 version = byte(); version > 5)
                fail(QStringLiteral("pickle protocol %1 is newer than 5").arg(version));
            return;
        case op::Frame:
            // Protocol 4's framing only groups opcodes; its length must still fit.
            if (little<quint64>() > static_cast<quint64>(m_bytes.size() - m_at))
                fail(QStringLiteral("a FRAME runs past the end of the pickle"));
            return;
        case op::Mark:
            count(1);
            m_marks.push_back(m_stack.size());
            return;
        case op::None: push(make(Kind::None)); return;
        case op::NewTrue:
        case op::NewFalse: {
            const int id = make(Kind::Bool);
            at(id).integer = opcode == op::NewTrue ? 1 : 0;
            push(id);
            return;
        }
        case op::BinInt: pushInteger(little<qint32>()); return;
        case op::BinInt1: pushInteger(byte()); return;
        case op::BinInt2: pushInteger(little<quint16>()); return;
        case op::Long1: pushLong(byte()); return;
        case op::Long4: {
            const qint32 length = little<qint32>();
            if (length < 0)
                fail(QStringLiteral("an integer has a negative length"));
            pushLong(static_cast<quint64>(length));
            return;
        }
        case op::BinFloat: {
            const int id = make(Kind::Float);
            take(8); // the value itself is never needed
            push(id);
            return;
        }
        case op::ShortBinUnicode:
        case op::ShortBinString: pushText(Kind::String, byte()); return;
        case op::BinUnicode: pushText(Kind::String, little<quint32>()); return;
        case op::BinUnicode8: pushText(Kind::String, little<quint64>()); return;
        case op::BinString: {
            const qint32 length = little<qint32>();
            if (length < 0)
                fail(QStringLiteral("a string has a negative length"));
            pushText(Kind::String, static_cast<quint64>(length));
            return;
        }
        case op::ShortBinBytes: pushText(Kind::Bytes, byte()); return;
        case op::BinBytes: pushText(Kind::Bytes, little<quint32>()); return;
        case op::BinBytes8: pushText(Kind::Bytes, little<quint64>()); return;
        case op::EmptyTuple: pushTuple({}); return;
        case op::EmptyList: push(make(Kind::List)); return;
        case op::EmptyDict: push(make(Kind::Dict)); return;
        case op::Tuple: pushTuple(popToMark()); return;
        case op::Tuple1:
        case op::Tuple2:
        case op::Tuple3: {
            std::vector<int> items(static_cast<size_t>(opcode - op::Tuple1 + 1));
            for (auto item = items.rbegin(); item != items.rend(); ++item)
                *item = pop();
            pushTuple(std::move(items));
            return;
        }
        case op::BinPut: memoize(byte()); return;
        case op::LongBinPut: memoize(little<quint32>()); return;
        case op::Memoize: memoize(m_memoCount); return;
        case op::BinGet: recall(byte()); return;
        case op::LongBinGet: recall(little<quint32>()); return;
        case op::Global: {
            const std::string_view module = line();
            const std::string_view name = line();
            pushGlobal(module, name);
            return;
        }
        case op::StackGlobal: {
            const int name = pop();
            const int module = pop();
            if (at(name).kind != Kind::String || at(module).kind != Kind::String)
                fail(QStringLiteral("STACK_GLOBAL takes a module and a name that are not strings"));
            pushGlobal(at(module).text, at(name).text);
            return;
        }
        case op::SetItem: {
            const int value = pop();
            const int key = pop();
            addToDict({key, value});
            return;
        }
        case op::SetItems: {
            std::vector<int> items = popToMark();
            if (items.size() % 2 != 0)
                fail(QStringLiteral("SETITEMS has a key without a value"));
            addToDict(items);
            return;
        }
        case op::Append: addToList({pop()}); return;
        case op::Appends: addToList(popToMark()); return;
        case op::Reduce: reduce(); return;
        case op::BinPersId: persistentLoad(); return;
        case op::Build: build(); return;
        default: break;
        }
        fail(QStringLiteral("opcode 0x%1 is not one torch.save writes").arg(opcode, 2, 16, QLatin1Char('0')));
    }

    void pushGlobal(std::string_view module, std::string_view name)
    {
        const std::optional<Global> global = allowedGlobal(module, name);
        if (!global)
            fail(QStringLiteral("the pickle names the global '%1.%2', which is not allowed: a checkpoint may only "
                                "name torch's tensor and storage types (nothing was run)")
                     .arg(printableText(utf8Text(module)), printableText(utf8Text(name))));
        const int id = make(Kind::Global);
        at(id).global = *global;
        push(id);
    }

    void addToDict(const std::vector<int> &items)
    {
        const int dict = top();
        if (at(dict).kind != Kind::Dict)
            fail(QStringLiteral("SETITEM(S) adds entries to %1, not to a dictionary").arg(describe(dict)));
        at(dict).items.insert(at(dict).items.end(), items.begin(), items.end());
    }

    void addToList(const std::vector<int> &items)
    {
        const int list = top();
        if (at(list).kind != Kind::List)
            fail(QStringLiteral("APPEND(S) adds items to %1, not to a list").arg(describe(list)));
        at(list).items.insert(at(list).items.end(), items.begin(), items.end());
    }

    // A state dict's OrderedDict carries its _metadata (module versions) as
    // state; it says nothing about the tensors, so it is dropped.
    void build()
    {
        const int state = pop();
        const int target = top();
        if (at(target).kind != Kind::Dict || (at(state).kind != Kind::Dict && at(state).kind != Kind::None))
            fail(QStringLiteral("BUILD sets the state of %1 to %2, which torch.save never does")
                     .arg(describe(target), describe(state)));
    }

    void reduce()
    {
        const int argsId = pop();
        const int callable = pop();
        if (at(callable).kind != Kind::Global)
            fail(QStringLiteral("REDUCE calls %1").arg(describe(callable)));
        if (at(argsId).kind != Kind::Tuple)
            fail(QStringLiteral("REDUCE passes %1 as arguments, not a tuple").arg(describe(argsId)));
        const std::vector<int> args = at(argsId).items;
        switch (at(callable).global.role) {
        case Role::OrderedDict:
            if (!args.empty())
                fail(QStringLiteral("OrderedDict is called with arguments, which torch.save never does"));
            push(make(Kind::Dict));
            return;
        case Role::RebuildTensor: push(rebuildTensor(args)); return;
        case Role::RebuildParameter:
            if (args.size() != 3 || at(args[0]).kind != Kind::Tensor)
                fail(QStringLiteral("_rebuild_parameter takes something other than (tensor, requires_grad, hooks)"));
            push(args[0]);
            return;
        case Role::RestoreTypeTag:
            if (args.size() != 2 || at(args[1]).kind != Kind::String)
                fail(QStringLiteral("restore_type_tag takes something other than (value, type name)"));
            push(args[0]);
            return;
        case Role::Storage:
        case Role::Dtype: break;
        }
        fail(QStringLiteral("REDUCE calls a torch type, which torch.save never does"));
    }

    qint64 nonNegativeInteger(int id, const QString &what)
    {
        if (at(id).kind != Kind::Int)
            fail(QStringLiteral("%1 is %2, not an integer").arg(what, describe(id)));
        if (at(id).integer < 0)
            fail(QStringLiteral("%1 is negative (%2)").arg(what).arg(at(id).integer));
        return at(id).integer;
    }

    std::vector<qint64> dimensions(int id, const QString &what)
    {
        if (at(id).kind != Kind::Tuple)
            fail(QStringLiteral("a tensor's %1 are %2, not a tuple").arg(what, describe(id)));
        const std::vector<int> items = at(id).items;
        if (items.size() > static_cast<size_t>(kMaxDimensions))
            fail(QStringLiteral("a tensor has %1 dimensions, more than %2").arg(items.size()).arg(kMaxDimensions));
        std::vector<qint64> values;
        for (const int item : items)
            values.push_back(nonNegativeInteger(item, QStringLiteral("a tensor's %1 entry").arg(what.chopped(1))));
        return values;
    }

    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
    // backward_hooks[, metadata]): a strided view of a storage.
    int rebuildTensor(const std::vector<int> &args)
    {
        if (args.size() != 6 && args.size() != 7)
            fail(QStringLiteral("_rebuild_tensor_v2 takes %1 arguments, not 6 or 7").arg(args.size()));
        if (at(args[0]).kind != Kind::Storage)
            fail(QStringLiteral("_rebuild_tensor_v2 takes %1, not a storage").arg(describe(args[0])));
        TensorRecord tensor;
        tensor.storage = static_cast<int>(at(args[0]).integer);
        tensor.offset = nonNegativeInteger(args[1], QStringLiteral("a tensor's storage offset"));
        tensor.sizes = dimensions(args[2], QStringLiteral("sizes"));
        tensor.strides = dimensions(args[3], QStringLiteral("strides"));
        if (tensor.sizes.size() != tensor.strides.size())
            fail(QStringLiteral("a tensor has %1 sizes but %2 strides")
                     .arg(tensor.sizes.size())
                     .arg(tensor.strides.size()));
        if (at(args[4]).kind != Kind::Bool)
            fail(QStringLiteral("a tensor's requires_grad is %1, not a boolean").arg(describe(args[4])));
        for (size_t i = 5; i < args.size(); ++i) {
            if (at(args[i]).kind != Kind::Dict && at(args[i]).kind != Kind::None)
                fail(QStringLiteral("a tensor's hooks or metadata are %1, not a dictionary").arg(describe(args[i])));
        }
        m_tensors.push_back(std::move(tensor));
        const int id = make(Kind::Tensor);
        at(id).integer = static_cast<qint64>(m_tensors.size() - 1);
        return id;
    }

    // torch.save's persistent ids: ('storage', StorageType, key, location, numel).
    void persistentLoad()
    {
        const int pid = pop();
        const std::vector<int> items = at(pid).kind == Kind::Tuple ? at(pid).items : std::vector<int>{};
        if (items.size() != 5 || at(items[0]).kind != Kind::String || at(items[0]).text != "storage"
            || at(items[1]).kind != Kind::Global || at(items[1]).global.role != Role::Storage
            || at(items[2]).kind != Kind::String || at(items[3]).kind != Kind::String)
            fail(QStringLiteral("a persistent id is not ('storage', torch.<Type>Storage, key, location, size)"));
        const StorageDtype dtype = at(items[1]).global.dtype;
        bool valid = false;
        const QString key = utf8Text(at(items[2]).text, &valid);
        if (const QString problem = pathComponentProblem(key); !valid || !problem.isEmpty())
            fail(QStringLiteral("storage key '%1' cannot name a record: %2")
                     .arg(printableText(key.left(300)), valid ? problem : QStringLiteral("it is not valid UTF-8")));
        const qint64 numel = nonNegativeInteger(items[4], QStringLiteral("storage '%1''s size").arg(key));

        int index = 0;
        if (const auto known = m_storageByKey.constFind(key); known != m_storageByKey.constEnd()) {
            index = *known;
            const StorageRecord &storage = m_storages[static_cast<size_t>(index)];
            if (storage.dtype != dtype || storage.numel != numel)
                fail(QStringLiteral("storage '%1' is declared as %2 elements of %3 and as %4 elements of %5")
                         .arg(key)
                         .arg(storage.numel)
                         .arg(storageClassName(storage.dtype))
                         .arg(numel)
                         .arg(storageClassName(dtype)));
        } else {
            index = static_cast<int>(m_storages.size());
            m_storages.push_back({key, dtype, numel});
            m_storageByKey.insert(key, index);
        }
        const int id = make(Kind::Storage);
        at(id).integer = index;
        push(id);
    }

    // --- the end: a dictionary of tensors, nothing else

    [[noreturn]] void failContents(const QString &what) const
    {
        throw Error(m_file, QStringLiteral("holds %1, not a dictionary of tensors").arg(what));
    }

    std::vector<PickledTensor> result()
    {
        const int root = pop();
        if (!m_stack.empty() || !m_marks.empty())
            fail(QStringLiteral("the pickle stops with %1 values and %2 marks left on its stack")
                     .arg(m_stack.size())
                     .arg(m_marks.size()));
        if (m_at != m_bytes.size())
            fail(QStringLiteral("%1 bytes follow the STOP opcode").arg(m_bytes.size() - m_at));
        if (at(root).kind != Kind::Dict)
            failContents(describe(root));

        std::vector<PickledTensor> tensors;
        QSet<QString> names;
        const std::vector<int> &items = at(root).items;
        for (size_t i = 0; i + 1 < items.size(); i += 2) {
            const Value &key = at(items[i]);
            if (key.kind != Kind::String)
                failContents(QStringLiteral("a dictionary with %1 as a key").arg(describe(items[i])));
            bool valid = false;
            const QString name = utf8Text(key.text, &valid);
            if (!valid)
                failContents(QStringLiteral("a dictionary with a key that is not valid UTF-8"));
            const Value &value = at(items[i + 1]);
            if (value.kind != Kind::Tensor)
                failContents(QStringLiteral("a dictionary whose entry '%1' is %2")
                                 .arg(printableText(name.left(300)), describe(items[i + 1])));
            if (names.contains(name))
                failContents(QStringLiteral("a dictionary that names tensor '%1' twice").arg(printableText(name)));
            names.insert(name);

            const TensorRecord &record = m_tensors[static_cast<size_t>(value.integer)];
            const StorageRecord &storage = m_storages[static_cast<size_t>(record.storage)];
            PickledTensor tensor;
            tensor.name = std::string(key.text);
            tensor.storageKey = storage.key;
            tensor.dtype = storage.dtype;
            tensor.storageNumel = storage.numel;
            tensor.storageOffset = record.offset;
            tensor.sizes = record.sizes;
            tensor.strides = record.strides;
            tensors.push_back(std::move(tensor));
        }
        return tensors;
    }

    QByteArrayView m_bytes;
    QString m_file;
    QString m_entryName;
    qint64 m_at = 0;
    qint64 m_opcodeAt = 0;

    std::vector<Value> m_values;
    std::vector<int> m_stack;
    std::vector<size_t> m_marks; // stack heights at each MARK
    std::vector<int> m_memo;     // -1 where unset
    quint64 m_memoCount = 0;
    qint64 m_references = 0;

    std::vector<StorageRecord> m_storages;
    QHash<QString, int> m_storageByKey;
    std::vector<TensorRecord> m_tensors;
};

} // namespace

QString storageClassName(StorageDtype dtype)
{
    return QLatin1String(storageType(dtype).className);
}

int storageElementSize(StorageDtype dtype)
{
    return storageType(dtype).elementSize;
}

std::vector<PickledTensor> readPickledTensors(QByteArrayView pickle, const QString &file, const QString &entryName)
{
    return Unpickler(pickle, file, entryName).run();
}

} // namespace wemoe
