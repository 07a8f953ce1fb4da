#include "zoo/seeded_random.h"

#include <QtCore/QByteArray>

#include <limits>
#include <numeric>

namespace wemoe {

namespace {

quint64 splitMix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

} // namespace

SeededRandom::SeededRandom(quint64 seed)
    : m_engine(seed)
{
}

quint64 SeededRandom::mix(std::initializer_list<quint64> parts)
{
    quint64 state = 0x6A09E667F3BCC909ULL;
    for (quint64 part : parts)
        state = splitMix(state ^ splitMix(part));
    return state;
}

quint64 SeededRandom::hashName(const QString &name)
{
    quint64 hash = 0xCBF29CE484222325ULL;
    for (char byte : name.toUtf8()) {
        hash ^= static_cast<unsigned char>(byte);
        hash *= 0x100000001B3ULL;
    }
    return hash;
}

quint64 SeededRandom::below(quint64 bound)
{
    // Reject the top partial block of the 2^64 outputs so every residue is equally likely.
    const quint64 limit = std::numeric_limits<quint64>::max() - std::numeric_limits<quint64>::max() % bound;
    quint64 value = next();
    while (value >= limit)
        value = next();
    return value % bound;
}

int SeededRandom::between(int low, int high)
{
    return low + static_cast<int>(below(static_cast<quint64>(static_cast<qint64>(high) - low + 1)));
}

double SeededRandom::unit()
{
    return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0);
}

std::vector<int> SeededRandom::permutation(int count)
{
    std::vector<int> order(static_cast<size_t>(std::max(count, 0)));
    std::iota(order.begin(), order.end(), 0);
    for (int i = count - 1; i > 0; --i)
        std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(below(static_cast<quint64>(i) + 1))]);
    return order;
}

} // namespace wemoe
