// Writes the fixture FormatFloatTest checks Tally's FormatFloat against: one line per double, its bits in hex and
// Go's strconv.FormatFloat(v, 'e', -1, 64) (the same shortest digits as the 'f' format Prometheus uses, kept short).
//
//	go run server/src/test/go/formatfloat/main.go | gzip -9 > server/src/test/resources/formatfloat/go-formatfloat.txt.gz
package main

import (
	"bufio"
	"fmt"
	"math"
	"math/rand"
	"os"
	"strconv"
)

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	emit := func(v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		fmt.Fprintf(out, "%016x\t%s\n", math.Float64bits(v), strconv.FormatFloat(v, 'e', -1, 64))
	}
	// specials and known cases where JDK 17's Double.toString is not the shortest
	for _, v := range []float64{0, math.Copysign(0, -1), math.MaxFloat64, math.SmallestNonzeroFloat64, 0x1p-1022,
		1e23, 2e23, 8.41e21, 2.82879384806159e17, 1.387364135037754e18, 1.45800632428665e17, 0.1, 0.3, 1e21, 1e-7,
		9007199254740992, 9007199254740993, 123456.789, -1.5} {
		emit(v)
	}
	// every power of two (the irregular spacing below each) and its neighbours
	for e := -1074; e <= 1023; e++ {
		v := math.Ldexp(1, e)
		emit(v)
		emit(math.Nextafter(v, 0))
		emit(math.Nextafter(v, math.Inf(1)))
	}
	// powers of ten and their neighbours
	for e := -323; e <= 308; e++ {
		v, _ := strconv.ParseFloat("1e"+strconv.Itoa(e), 64)
		emit(v)
		emit(math.Nextafter(v, 0))
		emit(math.Nextafter(v, math.Inf(1)))
	}
	// the smallest subnormals, where Java's rule allows two digits and Go prints one
	for t := uint64(1); t <= 300; t++ {
		emit(math.Float64frombits(t))
	}
	r := rand.New(rand.NewSource(16))
	for i := 0; i < 1000; i++ {
		emit(math.Float64frombits(r.Uint64()))                        // any exponent
		emit(math.Float64frombits(r.Uint64() & 0x800FFFFFFFFFFFFF))   // subnormal
		emit(float64(r.Int63n(100_000_000)) / math.Pow10(r.Intn(12))) // decimal-looking
		emit(r.Float64() * math.Pow10(r.Intn(40)-20))
	}
}
