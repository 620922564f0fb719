CREATE STREAM demo (color STRING, size BIGINT, ts BIGINT) WITH (DATASOURCE="demo", FORMAT="JSON")
----
CREATE STREAM test () WITH (DATASOURCE="test", FORMAT="JSON")
----
CREATE STREAM demoArr () WITH (DATASOURCE="demoArr", FORMAT="JSON")
----
CREATE STREAM demoE3 () WITH (DATASOURCE="demoE3", FORMAT="JSON", TIMESTAMP="ts")
----
CREATE TABLE demoTable (device STRING, ts BIGINT) WITH (DATASOURCE="demoTable", FORMAT="JSON", RETAIN_SIZE="3")
----
CREATE STREAM demo1 (temp FLOAT, hum BIGINT, `from` STRING, ts BIGINT) WITH (DATASOURCE="demo1", FORMAT="JSON")
----
CREATE STREAM sessionDemo (temp FLOAT, hum BIGINT, ts BIGINT) WITH (DATASOURCE="sessionDemo", FORMAT="JSON")
----
CREATE TABLE demoTable (device STRING, ts BIGINT) WITH (TYPE="memory", RETAIN_SIZE="3")
----
CREATE STREAM `my-stream` () WITH (TYPE="edgex")
----
CREATE STREAM s () WITH ()
----
CREATE STREAM demo () WITH (TYPE="edgex")
----
CREATE STREAM demo (id BIGINT, name STRING DEFAULT "n/a", tags ARRAY(STRING), pos STRUCT(x FLOAT, y FLOAT)) WITH (DATASOURCE="demo", FORMAT="JSON", TYPE="edgex")
----
CREATE STREAM e () WITH (TYPE="edgex", DATASOURCE="edgex/events/device/+/+/Random-Integer-Device/#")
----
CREATE STREAM e2 () WITH (TYPE="edgex", EXTRA="{\"topic\":\"x\"}")
----
CREATE STREAM e3 () WITH (confKey = "c1", strictValidation = "true", timestampFormat = "yyyy-MM-dd", type = "mqtt")
----
CREATE TABLE t2 () WITH (retainSize = "3", TYPE="memory", DATASOURCE="t2")
----
CREATE STREAM demo2 (temp FLOAT, hum BIGINT) WITH (STRICT_VALIDATION="true", TIMESTAMP="ts", TIMESTAMP_FORMAT="yyyy-MM-dd HH:mm:ss")
----
CREATE STREAM d3 () WITH (TIMESTAMP="origin", TYPE="edgex")
----
SHOW STREAMS
----
SHOW TABLES
----
DESCRIBE STREAM demo
----
DESCRIBE TABLE demoTable
----
DROP STREAM demo
----
DROP TABLE demoTable
----
EXPLAIN STREAM demo
----
EXPLAIN TABLE demoTable
----
create stream lower_case (a bigint, b float, c string, d datetime, e boolean, f bytea) with (datasource="x", shared=true, temp=false)
----
CREATE STREAM defaults (a BIGINT DEFAULT -5, b FLOAT DEFAULT 1.5, c FLOAT DEFAULT -2, d BOOLEAN DEFAULT TRUE, e STRING DEFAULT 'it\'s', f BIGINT DEFAULT 9223372036854775807) WITH (STRICT_VALIDATION="true")
----
CREATE STREAM nested (a ARRAY(ARRAY(BIGINT)), b ARRAY(STRUCT(x FLOAT, `y z` STRING)), c STRUCT(inr STRUCT(v BIGINT), list ARRAY(STRING))) WITH (TYPE="memory", DATASOURCE="nested/#")
----
CREATE STREAM demo1 (temp FLOAT, hum BIGINT, `from` STRING, ts BIGINT) WITH (DATASOURCE="demo1", FORMAT="JSON", CONF_KEY="mqtt_conf", SCHEMAID="s1", DELIMITER=",", VERSION="2")
----
CREATE STREAM bin (payload BYTEA) WITH (FORMAT="binary", TYPE="mqtt", DATASOURCE="img")
----
CREATE STREAM bin2 () WITH (FORMAT="BINARY")
----
CREATE TABLE lk (id BIGINT, name STRING) WITH (TYPE="memory", DATASOURCE="lk", KIND="lookup", KEY="id")
----
CREATE TABLE sc () WITH (TYPE="memory", DATASOURCE="sc", KIND="scan", RETAIN_SIZE="10")
----
CREATE STREAM `a-b_c` (x BIGINT) WITH (TYPE="edgex", FORMAT="protobuf");
----
CREATE STREAM ws
  ( a BIGINT
  , b STRING -- the name
  )
  WITH ( TYPE = "memory" , DATASOURCE = 'ws' )
----
CREATE STREAM reserved_cols (`end` STRING, `filter` BIGINT, `limit` FLOAT, `ss` BIGINT, `default` BOOLEAN, string STRING, type STRING) WITH ()
----
show streams;
----
describe stream `my-stream`
----
drop table `t-1`
