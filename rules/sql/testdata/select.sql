select acc_sum(size) over (partition by color), color from demo
----
SELECT changed_cols("tt_", true, color, size) FROM demo
----
SELECT had_changed(true, a, b) AS changed FROM test
----
SELECT lag(size) as lastSize, lag(had_changed(true,size)), size, lastSize/size as changeRate FROM demo WHERE size > 2
----
SELECT color, lag(size) over (partition by color) as lastSize, size, lastSize/size as changeRate FROM demo
----
SELECT arr[1] as col1 FROM demoArr where x=1
----
SELECT arr[x:y+1] as col1 FROM demoArr where x=1
----
SELECT unnest(arr2),x FROM demoArr where x=1
----
SELECT temp,ts FROM demoE3 GROUP BY TUMBLINGWINDOW(ss, 1)
----
SELECT array_position(a, 1) AS p1, array_position(a, 4) AS p2, element_at(n, 1) AS e1, element_at(n, -1) AS e2, array_contains(two, 2) AS c1, array_contains(two, 3) AS c2, array_remove(r, 3) AS rm, array_last_position(l, 5) AS lp, array_sort(m) AS srt, length(n) AS len, cardinality(n) AS card FROM test
----
SELECT cast(1.2, "bigint") AS c1, cast(5, "bigint") AS c2, cast(1.2, "string") AS c3, cast(true, "string") AS c4, cast("true", "boolean") AS c5, cast("1", "boolean") AS c6, cast(0.0, "boolean") AS c7, encode("hello", "base64") AS e, trunc(3.1415, 2) AS t1, trunc(3, 2) AS t2 FROM test
----
SELECT conv(h1, 16, 2) AS c1, conv(h2, 18, 8) AS c2, conv(h3, 10, -18) AS c3, conv(h4, 16, 10) AS c4, conv(h5, 10, 2) AS c5, format(n, 4) AS f1, format(n2, 0) AS f2, format(n2, 2, "en_US") AS f3, format(n2, 2, "de_DE") AS f4, hex2dec(hx) AS hd, dec2hex(dx) AS dh FROM test
----
SELECT md5(a) AS md5, sha1(a) AS sha1, sha256(a) AS sha256, sha384(a) AS sha384, sha512(a) AS sha512, crc32(a) AS crc32 FROM test
----
SELECT abs(a) AS abs_i, ceil(a) AS ceil_i, floor(a) AS floor_i, power(a, b) AS pow_i, mod(a, b) AS mod_i, round(a, b) AS round_i, sign(a) AS sign_i, bitand(a, b) AS bitand_i, bitor(a, b) AS bitor_i, bitxor(a, b) AS bitxor_i, bitnot(a) AS bitnot_i, abs(f) AS abs_f, ceil(f) AS ceil_f, floor(f) AS floor_f, power(f, b) AS pow_f, mod(f, b) AS mod_f, sign(g) AS sign_f, round(f) AS round1, round(g) AS round2, round(h, 2) AS round3, round(k, -3) AS round4 FROM test
----
SELECT acos(1) AS acos, asin(1) AS asin, atan(1) AS atan, atan2(1,1) AS atan2, cos(0) AS cos, cosh(0) AS cosh, exp(1.2) AS exp, ln(1) AS ln, log(10) AS log, sin(0) AS sin, sinh(0) AS sinh, sqrt(4) AS sqrt, tan(0) AS tan, tanh(1) AS tanh, ceil(1.6) AS ceil, mod(10, 3) AS mod, power(10, 3) AS power, round(10.2) AS round FROM test
----
SELECT concat(a, d, b, c) AS cc, length(d) AS len, indexof(d, "a") AS idx, lower(d) AS lw, endswith(d, c) AS ew, regexp_matches(d, "foo.*") AS rm, substring(d, 3, 100) AS sub, split_value(d, "/", 2) AS sv, md5(d) AS h, isNull(d) AS isn, coalesce(d, c) AS co, cardinality(d) AS card FROM test
----
SELECT object_concat(o1, o2, o3) AS oc, erase(o, "a") AS er, object_pick(o, pk) AS op, object(ks, vs) AS ob, zip(pairs) AS zp, element_at(o1, "a") AS ea, object_size(o) AS sz, obj_to_kvpair_array(one) AS kva, kvpair_array_to_obj(kv) AS kvo FROM test
----
SELECT lower(a) AS l, upper(a) AS u, lpad(a, 2) AS lp, rpad(a, 3) AS rp, trim(s) AS t, ltrim(s) AS lt, rtrim(s) AS rt, reverse(r) AS rv FROM test
----
SELECT indexof(m, "a") AS i, length(cn) AS len, numbytes(cn) AS nb, numbytes(b) AS nb2, substring(a, 3) AS s1, substring(a, 3, 5) AS s2, substring(a, 88, 100) AS s3, endswith(m, b) AS ew, regexp_matches(sea, "foo.*") AS rm, regexp_replace(re, "a(x*)b", "REP") AS rr, regexp_substr(sea, "foo.*") AS rs, split_value(q, "/", 1) AS sv1, split_value(p, "/", 0) AS sv0, split_value(p, "/", 3) AS sv3, concat(m, b, c) AS cc FROM test
----
SELECT device FROM demo INNER JOIN demoTable on demo.ts = demoTable.ts
----
select size as a, a + 1 as b from demo
----
select size + 1 as size, size + 1 as b from demo
----
SELECT * FROM demo1 where `from`="device1"
----
SELECT color, CASE WHEN size < 2 THEN "S" WHEN size < 4 THEN "M" ELSE "L" END as s, ts FROM demo
----
SELECT size as Int8, ts FROM demo where size > 3
----
SELECT color, ts FROM demo where size > 3 and meta(topic)="mock"
----
SELECT meta(topic) as m, ts FROM demo WHERE last_hit_count() < 4
----
SELECT *, upper(color), event_time() FROM demo
----
SELECT collect(*)[0]->color as c, window_end() as we FROM demo GROUP BY COUNTWINDOW(3)
----
select size, row_number() from demo group by countWindow(5)
----
SELECT count(temp), window_start() as ws, window_end(), event_time() as et FROM sessionDemo GROUP BY SessionWindow(ss, 2, 1)
----
SELECT color, ts FROM demo where size > 2 GROUP BY tumblingwindow(ss, 1)
----
SELECT color, window_end(), event_time() as et, ts, count(*) as c, window_start() FROM demo where size > 2 GROUP BY tumblingwindow(ss, 1) having c > 1
----
SELECT size AS Int8, ts FROM demo WHERE size > 3
----
SELECT lag(size) AS lastSize, size FROM demo WHERE size > 2
----
SELECT *, upper(color), event_time() FROM demo
----
SELECT color, CASE WHEN size < 2 THEN "S" WHEN size < 4 THEN "M" ELSE "L" END AS s, ts FROM demo
----
SELECT * FROM demo1 WHERE `from` = "device1"
----
SELECT arr[1] AS col1 FROM demoArr
----
SELECT arr[1:y] AS col1 FROM demoArr
----
SELECT arr[x:4] AS col1 FROM demoArr
----
SELECT arr[x:y+1] AS col1 FROM demoArr
----
SELECT unnest(arr2), x FROM demoArr WHERE x = 1
----
SELECT color, lag(size) OVER (PARTITION BY color) AS lastSize, size, lastSize/size AS changeRate FROM demo
----
SELECT lag(size) AS lastSize, lag(had_changed(true,size)), size, lastSize/size AS changeRate FROM demo WHERE size > 2
----
SELECT color, window_end(), event_time() AS et, ts, count(*) AS c, window_start() FROM demo WHERE size > 2 GROUP BY TUMBLINGWINDOW(ss, 1) HAVING c > 1
----
SELECT color, ts FROM demo WHERE size > 2 GROUP BY TUMBLINGWINDOW(ss, 1)
----
SELECT count(temp), window_start() AS ws, window_end(), event_time() AS et FROM sessionDemo GROUP BY SESSIONWINDOW(ss, 2, 1)
----
SELECT collect(*)[0]->color AS c, window_end() AS we FROM demo GROUP BY COUNTWINDOW(3)
----
SELECT device FROM demo INNER JOIN demoTable ON demo.ts = demoTable.ts
----
SELECT size + 1 AS size, size + 1 AS b FROM demo
----
SELECT size AS a, a + 1 AS b FROM demo
----
SELECT a AS b, b AS a FROM demo
----
SELECT x > 1 AS f FROM s
----
SELECT window_start(), window_end() FROM demo GROUP BY HOPPINGWINDOW(ss, 3, 1)
----
SELECT a FROM s WHERE NOT (a > 1)
----
SELECT x IS NULL AS n, x > 1 AS g FROM s
----
SELECT count(*) FROM demo GROUP BY HOPPINGWINDOW(ss, 2, 1)
----
SELECT * FROM src1 LEFT JOIN src2 ON id1 = id2 GROUP BY TUMBLINGWINDOW(ss, 10)
----
SELECT * FROM src1 INNER JOIN src2 ON src1.id1 * 2 = src2.id2 GROUP BY TUMBLINGWINDOW(ss, 10)
----
SELECT * FROM src1 FULL JOIN src2 ON f1->cid = f2->cid GROUP BY COUNTWINDOW(5)
----
SELECT a FROM s WHERE a > avg(a) GROUP BY TUMBLINGWINDOW(ss, 5)
----
SELECT a, count(*) AS c FROM s GROUP BY a, TUMBLINGWINDOW(ss, 5) HAVING a > 10
----
SELECT * FROM s GROUP BY STATEWINDOW(had_changed(true, a))
----
SELECT row_number() OVER (PARTITION BY a ORDER BY b) AS rn, a FROM s GROUP BY COUNTWINDOW(5)
----
SELECT acc_count(a, a > 1, a < 0) AS n FROM s
----
SELECT acc_sum(size) OVER (PARTITION BY color) FROM demo
----
SELECT changed_cols("tt_", true, color, size) FROM demo
----
SELECT meta(key), meta(src.key), meta(reading->key), meta(reading.key), meta(temperature->origin), meta(*), mqtt(topic), mqtt(messageid) FROM s
----
SELECT meta(deviceName) FROM s
----
SELECT * FROM demo INNER JOIN demoTable ON demo.ts = demoTable.ts AND meta(deviceName) = demoTable.device
----
SELECT day_name('2024-01-01'), round(42.4382, 2) = 42.44, log(2, 8) = 3, conv('a', 16, 2) = '1010', conv('6E', 18, 8) = '172' FROM s
----
SELECT format(12332.1234567, 4, "en_US") = '12,332.1235', split_value("/test/device001/message", "/", 3) = "message" FROM s
----
SELECT avg(cast(x, "float")), cast(x,"datetime"), cast(x,"float")/6, 3/6 = 0, 3.0/6, format_time(d, "yyyy"), array_map("fname", a) FROM s
----
SELECT isNull(x) = false, p = false, isnull(x), NOT isnull(x), (a > 1) = true FROM s
----
SELECT ops->functionA.numArgs, arr->f, arr[0:2]->f, arr[0]->f, arr[:], arr[], arr[0], a->b FROM s
----
SELECT * FROM s WHERE x IN (1, 2) OR x NOT IN (1, 2) OR 3 NOT IN (1, NULL) OR x IN () OR x = NULL
----
SELECT * FROM s WHERE s LIKE "%.com" OR s NOT LIKE 'a\\_b%'
----
SELECT * FROM s WHERE FALSE AND x = FALSE OR TRUE OR x = TRUE
----
SELECT -NULL, -9223372036854775808, a || b, a <> b, a != b, 0 - a FROM s
----
SELECT * FROM `temp-1`
----
SELECT `temp-1`, `from`, `ss` FROM s
----
SELECT * FROM s GROUP BY SLIDINGWINDOW(ss, 10) OVER (WHEN last_hit_time() > 0)
----
SELECT * FROM s GROUP BY COUNTWINDOW(5, 2) FILTER (WHERE a > 1)
----
SELECT * FROM s GROUP BY STATEWINDOW(a > 1, a < 0) OVER (PARTITION BY dev)
----
SELECT * FROM s GROUP BY STATEWINDOW(begin, emit)
----
SELECT a - -1, a - - 1, - 5, -1.5, 1e3, 2.5E-4, .5, 3., 1.e2, 9223372036854775807, 9223372036854775808, 18446744073709551615 FROM s
----
SELECT a<>b, a ! = b, a < = b, a > = b, a - > b, a->b, a<=b, a>=b, a!=b FROM s
----
SELECT a -- comment to end of line
  , b /* block
  comment */ , c FROM s -- trailing
----
SELECT a / b, a * -b, -a * b, -(a * b), +a, -(-a), - -a, -(5), -(-5), NOT NOT a FROM s
----
SELECT a + b * c, (a + b) * c, a - (b - c), a - b - c, a / (b * c), a % b & c, a | b ^ c || d, a & (b | c) FROM s
----
SELECT NOT a = b, NOT a AND b, (NOT a) AND b, NOT (a AND b), a OR b AND c, (a OR b) AND c FROM s
----
SELECT * FROM s WHERE x BETWEEN 1 AND 5 AND y OR x NOT BETWEEN a + 1 AND (b OR c)
----
SELECT a = b = c, a = (b = c), a IS NULL = false, a IN (1) = true, (a = b) IS NOT NULL FROM s
----
SELECT x IN arr, x IN arr[0], x IN f(y), x NOT IN -5, x IN (arr), x IN (a, b + 1, f(c)) FROM s
----
SELECT 'it\'s', "say \"hi\"", 'a "quoted" word', "tab\tnew\nline", "\u00e9t\u00e9", 'é', "" FROM s
----
SELECT `from`, `a b`, `_x`, `1st`, `ünï`, `null`, `select` FROM `my-stream`
----
SELECT null, NULL, true, FALSE, is, outer FROM s WHERE is IS NOT NULL AND outer IS NULL
----
SELECT a FROM topic/sensor1
----
SELECT a FROM a/+/b/#
----
SELECT a FROM `edgex/events/device/+/+/Random-Integer-Device/#` AS e
----
SELECT * FROM s1 AS a JOIN s2 AS b ON a.id = b.id LEFT OUTER JOIN s3 ON a.x = s3.x RIGHT OUTER JOIN s4 ON TRUE FULL OUTER JOIN s5 ON a.y = s5.y CROSS JOIN t6 INNER JOIN t7 GROUP BY TUMBLINGWINDOW(ss, 1)
----
SELECT * FROM s1 LEFT JOIN s2 ON s1.a = s2.a RIGHT JOIN s3 ON s1.b = s3.b FULL JOIN s4 ON s1.c = s4.c GROUP BY COUNTWINDOW(2)
----
SELECT *, s.*, `my-src`.* FROM s
----
SELECT * EXCEPT(a, b) FROM s
----
SELECT * REPLACE(a + 1 AS a, upper(b) AS `b c`) FROM s
----
SELECT * EXCEPT(a) REPLACE(b * 2 AS b) FROM s
----
SELECT a + 1 AS x INVISIBLE, x * 2 AS y FROM s
----
SELECT a FROM s GROUP BY TUMBLINGWINDOW(dd, 1), TUMBLINGWINDOW(hh, 1), TUMBLINGWINDOW(mi, 1), TUMBLINGWINDOW(MS, 500)
----
SELECT a FROM s GROUP BY HOPPINGWINDOW(mi, 3, 1) FILTER (WHERE a > 1)
----
SELECT a FROM s GROUP BY SLIDINGWINDOW(ss, 10, 2) FILTER (WHERE a > 1) OVER (WHEN b = 2)
----
SELECT a FROM s GROUP BY SESSIONWINDOW(hh, 2, 1), b, c.d
----
SELECT a FROM s WHERE a > 1 GROUP BY COUNTWINDOW(3, 1) HAVING count(*) > 2 ORDER BY a DESC, b ASC, f(c), s.d LIMIT 10
----
SELECT a FROM s ORDER BY a + 1, `b c` DESC LIMIT 0
----
SELECT lag(x, 1, 0, true) OVER (PARTITION BY a, b WHEN c > 1), latest(x) OVER (WHEN y), row_number() OVER (ORDER BY a DESC) FROM s
----
SELECT count(*), collect(*), merge_agg(*), last_value(*, true), had_changed(true, *), pi(), rand() FROM s
----
SELECT CASE a WHEN 1 THEN "one" WHEN 2 THEN "two" END, CASE WHEN a > 1 THEN CASE WHEN b THEN 1 ELSE 2 END ELSE -1 END FROM s
----
SELECT CASE WHEN a IS NULL THEN 0 ELSE a END + 1 AS x FROM s
----
SELECT arr[-1], arr[1:3], arr[:2], arr[2:], arr[x:y + 1], arr[f(x)], m->`a b`.c, a.b.c, a->b->c FROM s
----
SELECT f(x)[0], f(x)->y, (a + b)[0], (a).b, 3 .x, "s"[0] FROM s
----
SELECT UPPER(a), Lower(b), `Strange Name`(c) FROM s
----
SELECT a FROM s WHERE a LIKE b || "%" AND NOT a LIKE "x" AND c NOT LIKE "y%"
----
SELECT * FROM s WHERE NOT a IN (1, 2) AND NOT b BETWEEN 1 AND 2
----
SELECT tstamp() - rule_start() AS age, rule_id() FROM s
----
  select a,b
  from s
  where a>1;
----
SeLeCt A As B FrOm S WhErE A iS nOt NuLl
