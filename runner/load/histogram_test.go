package load

import (
	"math"
	"testing"
	"time"
)

// relErr is the error a quantile may have: half a bucket of 1/64.
const relErr = 1.0 / subBuckets

func within(t *testing.T, name string, got, want time.Duration) {
	t.Helper()
	if want == 0 {
		if got != 0 {
			t.Errorf("%s = %v, want 0", name, got)
		}
		return
	}
	if e := math.Abs(float64(got-want)) / float64(want); e > relErr {
		t.Errorf("%s = %v, want %v within %.1f%% (off by %.2f%%)", name, got, want, 100*relErr, 100*e)
	}
}

func us(n int) time.Duration { return time.Duration(n) * time.Microsecond }

func TestHistogramQuantilesOfKnownDistributions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		fill   func(h *Histogram)
		q      []float64
		want   []time.Duration
		wantMx time.Duration
	}{
		{
			name: "uniform 1..100000µs",
			fill: func(h *Histogram) {
				for v := 1; v <= 100_000; v++ {
					h.Record(us(v))
				}
			},
			q:      []float64{0.5, 0.9, 0.99, 0.999, 1},
			want:   []time.Duration{us(50_000), us(90_000), us(99_000), us(99_900), us(100_000)},
			wantMx: us(100_000),
		},
		{
			name: "small values are exact",
			fill: func(h *Histogram) {
				for v := 1; v <= 100; v++ {
					h.Record(us(v))
				}
			},
			q:      []float64{0, 0.01, 0.5, 0.9, 0.99, 1},
			want:   []time.Duration{us(1), us(1), us(50), us(90), us(99), us(100)},
			wantMx: us(100),
		},
		{
			name: "constant",
			fill: func(h *Histogram) {
				for range 1000 {
					h.Record(5 * time.Millisecond)
				}
			},
			q:      []float64{0.5, 0.99},
			want:   []time.Duration{5 * time.Millisecond, 5 * time.Millisecond},
			wantMx: 5 * time.Millisecond,
		},
		{
			name: "bimodal: 90% fast, 10% slow",
			fill: func(h *Histogram) {
				for i := range 10_000 {
					if i%10 == 9 {
						h.Record(80 * time.Millisecond)
					} else {
						h.Record(300 * time.Microsecond)
					}
				}
			},
			q:      []float64{0.5, 0.9, 0.91, 0.99},
			want:   []time.Duration{us(300), us(300), 80 * time.Millisecond, 80 * time.Millisecond},
			wantMx: 80 * time.Millisecond,
		},
		{
			name: "geometric 2^k µs, each once",
			fill: func(h *Histogram) {
				for k := range 20 {
					h.RecordMicros(1 << k)
				}
			},
			q:      []float64{0.5, 0.95, 1},
			want:   []time.Duration{us(1 << 9), us(1 << 18), us(1 << 19)},
			wantMx: us(1 << 19),
		},
		{
			name: "beyond the bucketed range keeps the exact max",
			fill: func(h *Histogram) {
				h.Record(2 * time.Hour)
				h.Record(time.Millisecond)
			},
			q:      []float64{0.5},
			want:   []time.Duration{time.Millisecond},
			wantMx: 2 * time.Hour,
		},
		{
			name:   "empty",
			fill:   func(*Histogram) {},
			q:      []float64{0.5, 1},
			want:   []time.Duration{0, 0},
			wantMx: 0,
		},
		{
			name:   "negative durations count as zero",
			fill:   func(h *Histogram) { h.Record(-time.Second) },
			q:      []float64{0.5},
			want:   []time.Duration{0},
			wantMx: 0,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var h Histogram
			c.fill(&h)
			for i, q := range c.q {
				within(t, "quantile", h.Quantile(q), c.want[i])
			}
			if h.Max() != c.wantMx {
				t.Errorf("Max = %v, want %v", h.Max(), c.wantMx)
			}
		})
	}
}

func TestHistogramMergeEqualsOneHistogram(t *testing.T) {
	t.Parallel()
	var whole Histogram
	parts := make([]Histogram, 4)
	v := uint64(7)
	for i := range 50_000 {
		v = v*6364136223846793005 + 1442695040888963407 // LCG: a spread of values
		x := (v >> 33) % 2_000_000
		whole.RecordMicros(x)
		parts[i%4].RecordMicros(x)
	}
	var merged Histogram
	for i := range parts {
		merged.Merge(&parts[i])
	}
	merged.Merge(&Histogram{}) // merging an empty one changes nothing
	if merged != whole {
		t.Fatalf("merged histogram differs: count %d/%d, min %d/%d, max %d/%d",
			merged.count, whole.count, merged.min, whole.min, merged.max, whole.max)
	}
	for _, q := range []float64{0.5, 0.9, 0.99} {
		if merged.Quantile(q) != whole.Quantile(q) {
			t.Errorf("q%v: merged %v, whole %v", q, merged.Quantile(q), whole.Quantile(q))
		}
	}
	if merged.Count() != 50_000 || merged.Mean() != whole.Mean() {
		t.Errorf("count %d, mean %v vs %v", merged.Count(), merged.Mean(), whole.Mean())
	}
}

func TestHistogramBucketsCoverEveryValueWithBoundedWidth(t *testing.T) {
	t.Parallel()
	prev := -1
	for v := uint64(0); v < 1<<22; v += 1 + v/512 {
		checkBucket(t, v)
		b := bucketOf(v)
		if b < prev {
			t.Fatalf("bucketOf is not monotonic at %d", v)
		}
		prev = b
	}
	if bucketOf(math.MaxUint64) != numBuckets-1 {
		t.Errorf("huge values must land in the last bucket")
	}
}

func checkBucket(t *testing.T, v uint64) {
	t.Helper()
	b := bucketOf(v)
	if b < 0 || b >= numBuckets {
		t.Fatalf("bucketOf(%d) = %d, out of [0, %d)", v, b, numBuckets)
	}
	if v >= 1<<32 {
		return // clamped into the last bucket
	}
	lo, hi := bucketRange(b)
	if v < lo || v > hi {
		t.Fatalf("value %d in bucket %d [%d, %d]", v, b, lo, hi)
	}
	if hi > lo && float64(hi-lo+1)/float64(lo) > 1.0/subBuckets+1e-12 {
		t.Fatalf("bucket %d [%d, %d] is wider than 1/%d of its value", b, lo, hi, subBuckets)
	}
}

func FuzzHistogramBucket(f *testing.F) {
	for _, v := range []uint64{0, 1, 127, 128, 129, 255, 256, 1000, 1 << 20, 1<<32 - 1, 1 << 32, math.MaxUint64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v uint64) {
		checkBucket(t, v)
		var h Histogram
		h.RecordMicros(v)
		if got := h.Quantile(0.5); got != micros(v) {
			t.Fatalf("a single sample %d must read back exactly, got %v", v, got)
		}
	})
}
