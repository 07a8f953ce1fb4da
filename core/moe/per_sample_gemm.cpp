#include "moe/per_sample_gemm.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define WEMOE_PER_SAMPLE_GEMM 1
#include <immintrin.h>
#endif

namespace wemoe {

namespace {

// The sizes below were tuned on one core of the project's CPU (L1 32 KiB,
// L2 512 KiB per core) at the shapes of ViT-B/32's MLP (batch 16, 50 tokens,
// 8 experts, 768 ↔ 3072), against OpenBLAS's dense GEMM of the same flops.
//
// Bytes of one forward block's merged weights, every sample's. More than the
// L2 cache: each sample's x is read again for every block, so blocks of many
// rows matter more than keeping the merged weights near the core (192 KiB
// blocks took 1.15× as long as 1 MiB ones, 6 MiB ones 1.05×).
constexpr int64_t kMergedBytes = int64_t(1) << 20;
// Bytes a backward block keeps: every sample's merged weights and dx of the
// block, for the input gradient; the routing gradient then takes the same
// rows. Blocks of 64 columns and 384 KiB took 1.25× as long as 192 columns
// and 1.5 MiB; narrower blocks were slower still (more blocks, each packing
// its dy again), and 3 MiB ones no faster.
constexpr int64_t kBackwardBlockBytes = int64_t(1536) << 10;
// Floats of each expert's row the merge holds in the L1 cache at a time.
constexpr int64_t kMergePiece = 256;
// Input columns of a forward block: a tile's four weight rows and three token
// rows of this length (21 KB) stay in the L1 cache.
constexpr int64_t kForwardDepth = 768;
// Input columns of a backward block (the header's, for the callers).
constexpr int64_t kBackwardColumns = kPerSampleGemmBackwardColumns;

int64_t roundedRows(int64_t bytesPerRow, int64_t multiple, int64_t most)
{
    const int64_t rows = kMergedBytes / std::max<int64_t>(1, bytesPerRow) / multiple * multiple;
    return std::clamp(rows, multiple, most);
}

// Rows of a forward block for a range of `rows`: about `target` (every
// sample's merged block near kMergedBytes), a multiple of the tile's 4, with
// the range cut into blocks of even size. Every block reads all of x again, so
// a short last block costs as much as a full one: a thread's chunk of fc2 (64
// rows) in blocks of 20 took four passes over x where three do.
int64_t forwardBlockRows(int64_t rows, int64_t target)
{
    const int64_t blocks = std::max<int64_t>(1, (rows + target / 2) / target);
    return ((rows + blocks - 1) / blocks + 3) / 4 * 4;
}

} // namespace

bool perSampleGemmFits(int64_t in)
{
    return in > 0 && in % 8 == 0;
}

#ifdef WEMOE_PER_SAMPLE_GEMM

namespace {

#define WEMOE_AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) inline

// Asks for a row's cache lines ahead of use. The rows a block reads are short
// (a few hundred bytes each, kilobytes apart), too many streams for the
// hardware's prefetcher: without it, packing dy took twice as long (measured).
WEMOE_AVX2_INLINE void prefetchRow(const float *row, int64_t count)
{
    for (int64_t j = 0; j < count; j += 16)
        _mm_prefetch(reinterpret_cast<const char *>(row + j), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char *>(row + count - 1), _MM_HINT_T0);
}

WEMOE_AVX2_INLINE void prefetchRows(const float *src, int64_t ld, int64_t rows, int64_t cols)
{
    for (int64_t r = 0; r < rows; ++r)
        prefetchRow(src + r * ld, cols);
}

// S samples' merged values of one row's columns [j0, end): each τ vector is
// loaded once for the S samples, and S · 4 independent chains of multiply-adds
// keep the FPU busy (one sum is a chain of T dependent ones: with four chains
// the merge waited on them and took twice as long, measured).
template<int S>
WEMOE_AVX2_INLINE void mergeSamples(const float *weights, int64_t experts, const float *base, const float *tasks,
                                    int64_t taskStride, int64_t j0, int64_t end, float *out, int64_t outStride)
{
    int64_t j = j0;
    for (; j + 32 <= end; j += 32) {
        __m256 acc[S][4];
        for (int v = 0; v < 4; ++v) {
            const __m256 b0 = _mm256_loadu_ps(base + j + 8 * v);
            for (int s = 0; s < S; ++s)
                acc[s][v] = b0;
        }
        for (int64_t t = 0; t < experts; ++t) {
            const float *task = tasks + t * taskStride + j;
            __m256 w[S];
            for (int s = 0; s < S; ++s)
                w[s] = _mm256_broadcast_ss(weights + s * experts + t);
            for (int v = 0; v < 4; ++v) {
                const __m256 tv = _mm256_loadu_ps(task + 8 * v);
                for (int s = 0; s < S; ++s)
                    acc[s][v] = _mm256_fmadd_ps(w[s], tv, acc[s][v]);
            }
        }
        for (int s = 0; s < S; ++s)
            for (int v = 0; v < 4; ++v)
                _mm256_storeu_ps(out + s * outStride + j + 8 * v, acc[s][v]);
    }
    for (; j < end; j += 8) {
        const __m256 b0 = _mm256_loadu_ps(base + j);
        for (int s = 0; s < S; ++s) {
            __m256 a = b0;
            for (int64_t t = 0; t < experts; ++t)
                a = _mm256_fmadd_ps(_mm256_broadcast_ss(weights + s * experts + t),
                                    _mm256_loadu_ps(tasks + t * taskStride + j), a);
            _mm256_storeu_ps(out + s * outStride + j, a);
        }
    }
}

// Every sample's merged weights for a block of rows × cols (cols a multiple
// of 8): buf[b][r][j] = base[r][j] + Σt w[b,t] τt[r][j], experts added in
// order. base and τ rows are ld apart; each sample's block is contiguous. A
// piece of kMergePiece floats of every expert's row stays in the L1 cache while
// all samples use it, so τ is read from memory once per block, not once per
// sample (per sample it would be T floats from the L2 cache for every merged
// one: half the time of the matmuls, measured).
WEMOE_AVX2_INLINE void mergeBlock(const float *routing, int64_t batch, int64_t experts, const float *base,
                                  const float *tasks, int64_t taskStride, int64_t ld, int64_t rows, int64_t cols,
                                  float *buf)
{
    for (int64_t r = 0; r < rows; ++r) {
        if (r + 1 < rows) {
            prefetchRow(base + (r + 1) * ld, cols);
            for (int64_t t = 0; t < experts; ++t)
                prefetchRow(tasks + t * taskStride + (r + 1) * ld, cols);
        }
        for (int64_t j0 = 0; j0 < cols; j0 += kMergePiece) {
            const int64_t end = std::min(cols, j0 + kMergePiece);
            const float *b0 = base + r * ld;
            const float *t0 = tasks + r * ld;
            int64_t b = 0;
            for (; b + 3 <= batch; b += 3)
                mergeSamples<3>(routing + b * experts, experts, b0, t0, taskStride, j0, end,
                                buf + (b * rows + r) * cols, rows * cols);
            for (; b < batch; ++b)
                mergeSamples<1>(routing + b * experts, experts, b0, t0, taskStride, j0, end,
                                buf + (b * rows + r) * cols, rows * cols);
        }
    }
}

// rows × cols floats from src (ld apart) into a contiguous buffer: a tile's
// rows of the caller's tensors are often a multiple of 4 KB apart and would
// evict each other from the L1 cache.
// Rows shorter than dstLd are padded with zeros, and dst needs 8 floats of
// slack past its rows · dstLd: every store is a whole vector, whose tail the
// next row overwrites. (GCC turns a copy loop into a string move and AVX's
// masked store is microcoded on AMD: each took a sixth of the backward for
// rows of 6 floats, measured. Masked loads are cheap.)
WEMOE_AVX2_INLINE __m256i firstLanes(int64_t n)
{
    alignas(32) static const int32_t ones[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256(reinterpret_cast<const __m256i *>(ones + 8 - std::clamp<int64_t>(n, 0, 8)));
}

WEMOE_AVX2_INLINE void packRows(const float *src, int64_t ld, int64_t rows, int64_t cols, float *dst, int64_t dstLd = 0)
{
    if (dstLd == 0)
        dstLd = cols;
    for (int64_t r = 0; r < rows; ++r) {
        const float *from = src + r * ld;
        float *to = dst + r * dstLd;
        for (int64_t j = 0; j < dstLd; j += 8)
            _mm256_storeu_ps(to + j, cols - j >= 8 ? _mm256_loadu_ps(from + j)
                                                   : _mm256_maskload_ps(from + j, firstLanes(cols - j)));
    }
}

// Room for packRows' last vector.
constexpr std::size_t kPackSlack = 8;

WEMOE_AVX2_INLINE float horizontalSum(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    __m128 high = _mm_movehdup_ps(s);
    s = _mm_add_ps(s, high);
    high = _mm_movehl_ps(high, s);
    return _mm_cvtss_f32(_mm_add_ss(s, high));
}

// The forward's tile: R weight rows · N tokens, dot products over depth (a
// multiple of 8) with both operands contiguous along it. 12 sums, 3 token
// vectors and one weight vector fill the 16 registers; the sums are
// reduced once at the end. y[n][r] (ldy apart per token) is written, or added
// to when add.
template<int R, int N>
WEMOE_AVX2_INLINE void dotTile(const float *w, int64_t ldw, const float *x, int64_t ldx, int64_t depth, float *y,
                               int64_t ldy, bool add)
{
    __m256 acc[R][N];
    for (int r = 0; r < R; ++r)
        for (int n = 0; n < N; ++n)
            acc[r][n] = _mm256_setzero_ps();
    for (int64_t k = 0; k < depth; k += 8) {
        __m256 xv[N];
        for (int n = 0; n < N; ++n)
            xv[n] = _mm256_loadu_ps(x + n * ldx + k);
        for (int r = 0; r < R; ++r) {
            const __m256 wv = _mm256_loadu_ps(w + r * ldw + k);
            for (int n = 0; n < N; ++n)
                acc[r][n] = _mm256_fmadd_ps(wv, xv[n], acc[r][n]);
        }
    }
    for (int n = 0; n < N; ++n)
        for (int r = 0; r < R; ++r) {
            const float sum = horizontalSum(acc[r][n]);
            float *out = y + n * ldy + r;
            *out = add ? *out + sum : sum;
        }
}

template<int R>
WEMOE_AVX2_INLINE void dotTileTokens(int n, const float *w, int64_t ldw, const float *x, int64_t ldx, int64_t depth,
                                     float *y, int64_t ldy, bool add)
{
    switch (n) {
    case 3: return dotTile<R, 3>(w, ldw, x, ldx, depth, y, ldy, add);
    case 2: return dotTile<R, 2>(w, ldw, x, ldx, depth, y, ldy, add);
    default: return dotTile<R, 1>(w, ldw, x, ldx, depth, y, ldy, add);
    }
}

WEMOE_AVX2_INLINE void dotTileAny(int r, int n, const float *w, int64_t ldw, const float *x, int64_t ldx, int64_t depth,
                                  float *y, int64_t ldy, bool add)
{
    switch (r) {
    case 4: return dotTileTokens<4>(n, w, ldw, x, ldx, depth, y, ldy, add);
    case 3: return dotTileTokens<3>(n, w, ldw, x, ldx, depth, y, ldy, add);
    case 2: return dotTileTokens<2>(n, w, ldw, x, ldx, depth, y, ldy, add);
    default: return dotTileTokens<1>(n, w, ldw, x, ldx, depth, y, ldy, add);
    }
}

// The input gradient's tile: M tokens · V vectors of 8 input columns,
// c[m][v] += Σp a[m][p] · w[p][v] over depth rows (outer products: M
// broadcasts and V loads per row).
template<int M, int V>
WEMOE_AVX2_INLINE void outerTile(const float *a, int64_t lda, const float *w, int64_t ldw, int64_t depth, float *c,
                                 int64_t ldc)
{
    __m256 acc[M][V];
    for (int m = 0; m < M; ++m)
        for (int v = 0; v < V; ++v)
            acc[m][v] = _mm256_loadu_ps(c + m * ldc + 8 * v);
    for (int64_t p = 0; p < depth; ++p) {
        __m256 wv[V];
        for (int v = 0; v < V; ++v)
            wv[v] = _mm256_loadu_ps(w + p * ldw + 8 * v);
        for (int m = 0; m < M; ++m) {
            const __m256 am = _mm256_broadcast_ss(a + m * lda + p);
            for (int v = 0; v < V; ++v)
                acc[m][v] = _mm256_fmadd_ps(am, wv[v], acc[m][v]);
        }
    }
    for (int m = 0; m < M; ++m)
        for (int v = 0; v < V; ++v)
            _mm256_storeu_ps(c + m * ldc + 8 * v, acc[m][v]);
}

template<int V>
WEMOE_AVX2_INLINE void outerTileTokens(int m, const float *a, int64_t lda, const float *w, int64_t ldw, int64_t depth,
                                       float *c, int64_t ldc)
{
    switch (m) {
    case 6: return outerTile<6, V>(a, lda, w, ldw, depth, c, ldc);
    case 5: return outerTile<5, V>(a, lda, w, ldw, depth, c, ldc);
    case 4: return outerTile<4, V>(a, lda, w, ldw, depth, c, ldc);
    case 3: return outerTile<3, V>(a, lda, w, ldw, depth, c, ldc);
    case 2: return outerTile<2, V>(a, lda, w, ldw, depth, c, ldc);
    default: return outerTile<1, V>(a, lda, w, ldw, depth, c, ldc);
    }
}

// The routing gradient's tile: G[m][v] = Σi dy[i][m] · x[i][v] for M output
// rows and V vectors of input columns, over every token, then contracted with
// each expert's τ block: lanes[t] += Σ G ⊙ τt (eight lanes per expert, in
// double). G never leaves the registers.
template<int M, int V>
WEMOE_AVX2_INLINE void gradTile(const float *dy, int64_t ldDy, const float *x, int64_t ldx, int64_t tokens,
                                const float *tau, int64_t ldTau, int64_t taskStride, int64_t experts, double *lanes)
{
    __m256 g[M][V];
    for (int m = 0; m < M; ++m)
        for (int v = 0; v < V; ++v)
            g[m][v] = _mm256_setzero_ps();
    for (int64_t i = 0; i < tokens; ++i) {
        __m256 xv[V];
        for (int v = 0; v < V; ++v)
            xv[v] = _mm256_loadu_ps(x + i * ldx + 8 * v);
        for (int m = 0; m < M; ++m) {
            const __m256 d = _mm256_broadcast_ss(dy + i * ldDy + m);
            for (int v = 0; v < V; ++v)
                g[m][v] = _mm256_fmadd_ps(d, xv[v], g[m][v]);
        }
    }
    for (int64_t t = 0; t < experts; ++t) {
        const float *task = tau + t * taskStride;
        // Two chains, so the products of one expert overlap.
        __m256 s[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
        for (int m = 0; m < M; ++m)
            for (int v = 0; v < V; ++v)
                s[(m * V + v) & 1] = _mm256_fmadd_ps(g[m][v], _mm256_loadu_ps(task + m * ldTau + 8 * v),
                                                     s[(m * V + v) & 1]);
        const __m256 sum = _mm256_add_ps(s[0], s[1]);
        double *lane = lanes + t * 8;
        _mm256_storeu_pd(lane, _mm256_add_pd(_mm256_loadu_pd(lane), _mm256_cvtps_pd(_mm256_castps256_ps128(sum))));
        _mm256_storeu_pd(lane + 4,
                         _mm256_add_pd(_mm256_loadu_pd(lane + 4), _mm256_cvtps_pd(_mm256_extractf128_ps(sum, 1))));
    }
}

template<int V>
WEMOE_AVX2_INLINE void gradTileRows(int m, const float *dy, int64_t ldDy, const float *x, int64_t ldx, int64_t tokens,
                                    const float *tau, int64_t ldTau, int64_t taskStride, int64_t experts, double *lanes)
{
    switch (m) {
    case 6: return gradTile<6, V>(dy, ldDy, x, ldx, tokens, tau, ldTau, taskStride, experts, lanes);
    case 5: return gradTile<5, V>(dy, ldDy, x, ldx, tokens, tau, ldTau, taskStride, experts, lanes);
    case 4: return gradTile<4, V>(dy, ldDy, x, ldx, tokens, tau, ldTau, taskStride, experts, lanes);
    case 3: return gradTile<3, V>(dy, ldDy, x, ldx, tokens, tau, ldTau, taskStride, experts, lanes);
    case 2: return gradTile<2, V>(dy, ldDy, x, ldx, tokens, tau, ldTau, taskStride, experts, lanes);
    default: return gradTile<1, V>(dy, ldDy, x, ldx, tokens, tau, ldTau, taskStride, experts, lanes);
    }
}

__attribute__((target("avx2,fma"))) void forwardAvx2(const PerSampleGemmProblem &p, float *y, int64_t yBatchStride,
                                                     int64_t yTokenStride)
{
    const int64_t depth = std::min(p.in, kForwardDepth);
    const int64_t blockRows = forwardBlockRows(p.rows, roundedRows(p.batch * depth * int64_t(sizeof(float)), 4, 256));
    std::vector<float> merged(std::size_t(p.batch * blockRows * depth));
    for (int64_t r0 = 0; r0 < p.rows; r0 += blockRows) {
        const int64_t rows = std::min(blockRows, p.rows - r0);
        for (int64_t k0 = 0; k0 < p.in; k0 += depth) {
            const int64_t cols = std::min(depth, p.in - k0);
            mergeBlock(p.routing, p.batch, p.experts, p.base + r0 * p.in + k0, p.tasks + r0 * p.in + k0, p.taskStride,
                       p.in, rows, cols, merged.data());
            for (int64_t b = 0; b < p.batch; ++b) {
                const float *w = merged.data() + b * rows * cols;
                const float *xb = p.x + b * p.xBatchStride + k0;
                float *yb = y + b * yBatchStride + r0;
                // A tile's four weight rows stay in the L1 cache while the tokens pass.
                for (int64_t r = 0; r < rows; r += 4)
                    for (int64_t i = 0; i < p.tokens; i += 3)
                        dotTileAny(int(std::min<int64_t>(4, rows - r)), int(std::min<int64_t>(3, p.tokens - i)),
                                   w + r * cols, cols, xb + i * p.xTokenStride, p.xTokenStride, cols,
                                   yb + i * yTokenStride + r, yTokenStride, k0 > 0);
            }
        }
    }
}

// dy's strides, for the backward's helpers.
struct GradientLayout
{
    const float *dy;
    int64_t batchStride;
    int64_t tokenStride;
};

// Rows of a backward block: every sample's merged weights of the block, and
// their dx, in about kBackwardBlockBytes. A multiple of 6, the routing
// gradient's tile height, so its tiles are visited in the same order whatever
// the block.
int64_t backwardBlockRows(const PerSampleGemmProblem &p, int64_t blockCols)
{
    const int64_t bytesPerRow = p.batch * blockCols * int64_t(sizeof(float));
    return std::clamp<int64_t>((kBackwardBlockBytes / std::max<int64_t>(1, bytesPerRow) - p.tokens) / 6 * 6, 12, 96);
}

// dx of a block (the columns [c0, c0 + cols), rows [r0, r0 + rows)): every
// sample's merged weights of the block into `merged`, then each sample's
// dx[b][:, block] += dy[b][:, rows] · W(b)[rows, block].
WEMOE_AVX2_INLINE void inputGradientBlock(const PerSampleGemmProblem &p, const GradientLayout &g, int64_t c0,
                                          int64_t cols, int64_t r0, int64_t rows, float *merged, float *dyBlock,
                                          float *dx)
{
    mergeBlock(p.routing, p.batch, p.experts, p.base + r0 * p.in + c0, p.tasks + r0 * p.in + c0, p.taskStride, p.in,
               rows, cols, merged);
    prefetchRows(g.dy + r0, g.tokenStride, p.tokens, rows);
    for (int64_t b = 0; b < p.batch; ++b) {
        packRows(g.dy + b * g.batchStride + r0, g.tokenStride, p.tokens, rows, dyBlock);
        if (b + 1 < p.batch)
            prefetchRows(g.dy + (b + 1) * g.batchStride + r0, g.tokenStride, p.tokens, rows);
        const float *w = merged + b * rows * cols;
        float *dxb = dx + b * p.tokens * p.in + c0;
        // A panel of 16 merged columns stays in the L1 cache while the tokens pass.
        for (int64_t j = 0; j < cols; j += 16)
            for (int64_t i = 0; i < p.tokens; i += 6) {
                const int m = int(std::min<int64_t>(6, p.tokens - i));
                const float *a = dyBlock + i * rows;
                if (cols - j >= 16)
                    outerTileTokens<2>(m, a, rows, w + j, cols, rows, dxb + i * p.in + j, p.in);
                else
                    outerTileTokens<1>(m, a, rows, w + j, cols, rows, dxb + i * p.in + j, p.in);
            }
    }
}

// The routing gradient's buffers: every sample's x of a block of columns and
// dy of a block of rows, packed by tiles; one tile of τ; the lanes.
struct RoutingGradientBuffers
{
    RoutingGradientBuffers(const PerSampleGemmProblem &p, int64_t blockCols, int64_t blockRows)
        : xTiles((blockCols + 15) / 16)
        , dyTiles((blockRows + 5) / 6)
        , x(std::size_t(p.batch * xTiles * p.tokens * 16) + kPackSlack)
        , dy(std::size_t(p.batch * dyTiles * p.tokens * 6) + kPackSlack)
        , tau(std::size_t(p.experts * 96) + kPackSlack)
        , lanes(std::size_t(p.batch * p.experts * 8), 0.0)
    {
    }
    int64_t xTiles;
    int64_t dyTiles;
    std::vector<float> x;
    std::vector<float> dy;
    std::vector<float> tau;
    std::vector<double> lanes;
};

// Every sample's x of the columns [c0, c0 + cols), by tiles of 16 columns.
WEMOE_AVX2_INLINE void packInputs(const PerSampleGemmProblem &p, int64_t c0, int64_t cols, RoutingGradientBuffers &buf)
{
    for (int64_t b = 0; b < p.batch; ++b)
        for (int64_t j = 0; j < cols; j += 16)
            packRows(p.x + b * p.xBatchStride + c0 + j, p.xTokenStride, p.tokens, std::min<int64_t>(16, cols - j),
                     buf.x.data() + (b * buf.xTiles + j / 16) * p.tokens * 16, 16);
}

// The routing gradient of a block (x packed by packInputs): by tiles of 6 rows
// × 16 columns, and for each tile sample after sample, so that the tile's τ of
// every expert (3 KB) stays in the L1 cache while the batch uses it.
WEMOE_AVX2_INLINE void routingGradientBlock(const PerSampleGemmProblem &p, const GradientLayout &g, int64_t c0,
                                            int64_t cols, int64_t r0, int64_t rows, RoutingGradientBuffers &buf)
{
    for (int64_t b = 0; b < p.batch; ++b)
        for (int64_t r = 0; r < rows; r += 6)
            packRows(g.dy + b * g.batchStride + r0 + r, g.tokenStride, p.tokens, std::min<int64_t>(6, rows - r),
                     buf.dy.data() + (b * buf.dyTiles + r / 6) * p.tokens * 6, 6);
    for (int64_t r = 0; r < rows; r += 6) {
        const int m = int(std::min<int64_t>(6, rows - r));
        for (int64_t j = 0; j < cols; j += 16) {
            // The tile of τ, packed: in place its rows are a multiple of 4 KB apart
            // for ViT's widths (as are the experts), so all 96 of its lines would
            // compete for one set of the L1 cache; the epilogue then waited on
            // the L2 cache and took most of the time (measured).
            for (int64_t t = 0; t < p.experts; ++t)
                packRows(p.tasks + t * p.taskStride + (r0 + r) * p.in + c0 + j, p.in, m,
                         std::min<int64_t>(16, cols - j), buf.tau.data() + t * 96, 16);
            const float *tau = buf.tau.data();
            for (int64_t b = 0; b < p.batch; ++b) {
                const float *dyTile = buf.dy.data() + (b * buf.dyTiles + r / 6) * p.tokens * 6;
                const float *xTile = buf.x.data() + (b * buf.xTiles + j / 16) * p.tokens * 16;
                double *sampleLanes = buf.lanes.data() + b * p.experts * 8;
                if (cols - j >= 16)
                    gradTileRows<2>(m, dyTile, 6, xTile, 16, p.tokens, tau, 16, 96, p.experts, sampleLanes);
                else
                    gradTileRows<1>(m, dyTile, 6, xTile, 16, p.tokens, tau, 16, 96, p.experts, sampleLanes);
            }
        }
    }
}

// The backward for the columns [k0, k1), by blocks of kBackwardColumns columns
// and backwardBlockRows rows. A block's routing gradient and input gradient
// run one after the other, so the second reads the block's τ (every expert's,
// a few hundred KB) from the cache: τ is read from memory once per backward,
// as the shared-weight backward does. The routing gradient goes first: with
// τ in the cache the input gradient's merge saved 10 ms a call and the
// routing gradient 6 (fc1, one thread, measured), and this order took 4–7 %
// less time than the other. dx adds each block's rows in order; the routing
// gradient's tiles are visited row tile by row tile, then by columns,
// whatever the block.
__attribute__((target("avx2,fma"))) void backwardAvx2(const PerSampleGemmProblem &p, const float *dy,
                                                      int64_t dyBatchStride, int64_t dyTokenStride, int64_t k0,
                                                      int64_t k1, float *dx, double *dRouting)
{
    const GradientLayout g{dy, dyBatchStride, dyTokenStride};
    const int64_t blockCols = std::min(p.in, kBackwardColumns);
    const int64_t blockRows = backwardBlockRows(p, blockCols);
    std::vector<float> merged(dx ? std::size_t(p.batch * blockRows * blockCols) : 0);
    std::vector<float> dyBlock(dx ? std::size_t(p.tokens * blockRows) + kPackSlack : 0);
    std::optional<RoutingGradientBuffers> routing;
    if (dRouting)
        routing.emplace(p, blockCols, blockRows);
    for (int64_t c0 = k0; c0 < k1; c0 += blockCols) {
        const int64_t cols = std::min(blockCols, k1 - c0);
        if (routing)
            packInputs(p, c0, cols, *routing);
        for (int64_t r0 = 0; r0 < p.rows; r0 += blockRows) {
            const int64_t rows = std::min(blockRows, p.rows - r0);
            if (routing)
                routingGradientBlock(p, g, c0, cols, r0, rows, *routing);
            if (dx)
                inputGradientBlock(p, g, c0, cols, r0, rows, merged.data(), dyBlock.data(), dx);
        }
    }
    if (routing)
        for (int64_t bt = 0; bt < p.batch * p.experts; ++bt) {
            double sum = 0.0;
            for (int l = 0; l < 8; ++l)
                sum += routing->lanes[std::size_t(bt * 8 + l)];
            dRouting[bt] += sum;
        }
}

} // namespace

bool perSampleGemmAvailable()
{
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
}

void perSampleGemmForward(const PerSampleGemmProblem &p, float *y, int64_t yBatchStride, int64_t yTokenStride)
{
    forwardAvx2(p, y, yBatchStride, yTokenStride);
}

void perSampleGemmBackward(const PerSampleGemmProblem &p, const float *dy, int64_t dyBatchStride, int64_t dyTokenStride,
                           int64_t k0, int64_t k1, float *dx, double *dRouting)
{
    backwardAvx2(p, dy, dyBatchStride, dyTokenStride, k0, k1, dx, dRouting);
}

#else

// Without AVX2 there is nothing to run: callers check perSampleGemmAvailable()
// and keep the library's path.
bool perSampleGemmAvailable()
{
    return false;
}

void perSampleGemmForward(const PerSampleGemmProblem &, float *, int64_t, int64_t)
{
    std::abort();
}

void perSampleGemmBackward(const PerSampleGemmProblem &, const float *, int64_t, int64_t, int64_t, int64_t, float *,
                           double *)
{
    std::abort();
}

#endif

} // namespace wemoe
