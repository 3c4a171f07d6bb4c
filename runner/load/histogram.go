package load

import (
	"math"
	"math/bits"
	"time"
)

// Histogram records latencies in microseconds in log-linear buckets, in the
// manner of HdrHistogram: values below 2*subBuckets are exact, and above
// that every power of two is split into subBuckets equal buckets, so a
// reported percentile is within 1/subBuckets (1.6 %) of the true value. Its
// size is fixed whatever the number of samples, and histograms of several
// workers merge by adding counts.
//
// A local type rather than a dependency: github.com/HdrHistogram/hdrhistogram-go
// is alive again (v1.2.0, November 2025, after v1.1.2 in 2021), but the
// subset needed here (record, merge, quantile) is about a hundred lines,
// and the module otherwise keeps to the standard library.
type Histogram struct {
	counts [numBuckets]uint64
	count  uint64
	sum    uint64 // microseconds, for the mean
	min    uint64
	max    uint64
}

const (
	subBits    = 6
	subBuckets = 1 << subBits // buckets per power of two above the exact range
	exactLimit = 2 * subBuckets
	// maxValue is the largest value bucketed on its own (2^32 µs, about 71
	// minutes); larger values share the last bucket but still set Max.
	maxMagnitude = 32 - subBits
	numBuckets   = exactLimit + maxMagnitude*subBuckets
)

// bucketOf returns the index of the bucket holding v.
func bucketOf(v uint64) int {
	if v < exactLimit {
		return int(v)
	}
	m := bits.Len64(v) - (subBits + 1) // v>>m is in [subBuckets, 2*subBuckets)
	if m > maxMagnitude {
		return numBuckets - 1
	}
	return exactLimit + (m-1)*subBuckets + int(v>>m) - subBuckets
}

// bucketRange returns the smallest and largest value of bucket i.
func bucketRange(i int) (lo, hi uint64) {
	if i < exactLimit {
		return uint64(i), uint64(i)
	}
	m := uint((i-exactLimit)/subBuckets + 1)
	s := uint64((i-exactLimit)%subBuckets + subBuckets)
	return s << m, (s+1)<<m - 1
}

// Record adds one latency; negative durations count as zero.
func (h *Histogram) Record(d time.Duration) {
	h.RecordMicros(uint64(max(d, 0) / time.Microsecond))
}

// RecordMicros adds one value in microseconds.
func (h *Histogram) RecordMicros(v uint64) {
	h.counts[bucketOf(v)]++
	if h.count == 0 || v < h.min {
		h.min = v
	}
	h.max = max(h.max, v)
	h.count++
	h.sum += v
}

// Merge adds o's samples to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.count == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.count == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.count += o.count
	h.sum += o.sum
}

// Count returns the number of samples.
func (h *Histogram) Count() uint64 { return h.count }

// Max returns the largest sample, exactly.
func (h *Histogram) Max() time.Duration { return micros(h.max) }

// Mean returns the average sample.
func (h *Histogram) Mean() time.Duration {
	if h.count == 0 {
		return 0
	}
	return micros(h.sum / h.count)
}

// Quantile returns the value below or at which a fraction q (0..1) of the
// samples lie: the value of sample number ceil(q*count) in sorted order,
// reported as the middle of its bucket (exact below 128 µs), and never
// outside [min, max]. An empty histogram answers 0.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.count == 0 {
		return 0
	}
	q = min(max(q, 0), 1)
	rank := uint64(math.Ceil(q * float64(h.count)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, hi := bucketRange(i)
			mid := lo + (hi-lo)/2
			return micros(min(max(mid, h.min), h.max))
		}
	}
	return micros(h.max)
}

func micros(v uint64) time.Duration {
	if v > math.MaxInt64/uint64(time.Microsecond) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(v) * time.Microsecond
}
