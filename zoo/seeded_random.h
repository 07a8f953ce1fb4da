#pragma once

#include <QtCore/QString>
#include <QtCore/QtGlobal>

#include <random>
#include <vector>

namespace wemoe {

// The demo zoo's only source of randomness. std::mt19937_64 is specified bit
// for bit by the standard, the std::uniform_*_distribution classes are not
// (libstdc++ and libc++ draw differently), so every draw below is our own
// arithmetic on the raw 64-bit outputs: the same seed gives the same images
// with any compiler.
class SeededRandom
{
public:
    explicit SeededRandom(quint64 seed);

    // Mixes any number of 64-bit parts into one well-spread seed (splitmix64
    // steps), e.g. (seed, hash of the task, split, class, sample index).
    static quint64 mix(std::initializer_list<quint64> parts);
    // FNV-1a of the UTF-8 bytes: a seed part from a name that, unlike qHash,
    // is the same in every process.
    static quint64 hashName(const QString &name);

    quint64 next() { return m_engine(); }
    // Uniform integer in [0, bound), bound > 0, without modulo bias.
    quint64 below(quint64 bound);
    // Uniform integer in [low, high] (inclusive), low <= high.
    int between(int low, int high);
    // Uniform double in [0, 1) with 53 random bits.
    double unit();
    // Uniform double in [low, high).
    double uniform(double low, double high) { return low + (high - low) * unit(); }
    bool chance(double probability) { return unit() < probability; }

    // 0..count-1 in a random order (Fisher–Yates with below()).
    std::vector<int> permutation(int count);

private:
    std::mt19937_64 m_engine;
};

} // namespace wemoe
