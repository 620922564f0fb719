package sql

import "testing"

const benchSelect = `SELECT color, lag(size) OVER (PARTITION BY color) AS lastSize, size, lastSize / size AS changeRate,
	CASE WHEN size < 2 THEN "S" WHEN size < 4 THEN "M" ELSE "L" END AS s, collect(*)[0]->color AS c
FROM demo LEFT JOIN demoTable AS t ON demo.ts = t.ts
WHERE size > 2 AND color IN ("red", "blue") AND NOT meta(topic) LIKE "x%"
GROUP BY TUMBLINGWINDOW(ss, 10) FILTER (WHERE size BETWEEN 1 AND 100)
HAVING count(*) > 1 ORDER BY color DESC LIMIT 10`

func BenchmarkParseSelect(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchSelect)))
	for b.Loop() {
		if _, err := ParseSelect(benchSelect); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormat(b *testing.B) {
	s, err := ParseSelect(benchSelect)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = Format(s)
	}
}
