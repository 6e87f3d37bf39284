package linkage

// JaroWinkler returns the Jaro-Winkler similarity of two strings (0..1), comparing runes: 1 for equal
// strings, 0 when no characters match. It follows Winkler's definition: the Jaro similarity is raised
// for a common prefix of up to 4 runes, by 0.1 per rune, only when it is above 0.7 already, so that a
// shared initial alone does not make two unrelated names look alike. It takes time proportional to
// the product of the lengths: meant for names, not documents.
func JaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	if isASCII(a) && isASCII(b) {
		return jaroWinkler([]byte(a), []byte(b))
	}
	return jaroWinkler([]rune(a), []rune(b))
}

func jaroWinkler[E byte | rune](a, b []E) float64 {
	j := jaro(a, b)
	if j <= 0.7 {
		return j
	}
	l := 0
	for l < 4 && l < len(a) && l < len(b) && a[l] == b[l] {
		l++
	}
	return j + float64(l)*0.1*(1-j)
}

func jaro[E byte | rune](a, b []E) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) || len(a) == len(b) && less(b, a) {
		a, b = b, a // greedy matching depends on the order: fix it, so that jaro(a, b) == jaro(b, a)
	}
	window := len(b)/2 - 1
	if window < 0 {
		window = 0
	}
	// Names are short: keep the match flags on the stack.
	var bufA, bufB [64]bool
	var ma, mb []bool
	if len(b) <= len(bufB) {
		ma, mb = bufA[:len(a)], bufB[:len(b)]
	} else {
		ma, mb = make([]bool, len(a)), make([]bool, len(b))
	}
	m := 0
	for i := range a {
		lo, hi := max(0, i-window), min(len(b), i+window+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	half, j := 0, 0 // half-transpositions: matched runes out of order
	for i := range a {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if a[i] != b[j] {
			half++
		}
		j++
	}
	fm := float64(m)
	return (fm/float64(len(a)) + fm/float64(len(b)) + (fm-float64(half/2))/fm) / 3
}

func less[E byte | rune](a, b []E) bool {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}
