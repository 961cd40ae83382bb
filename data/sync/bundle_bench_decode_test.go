package sync

import (
	"encoding/json"
	"reflect"
	"testing"
)

var decodeSeeds = []string{
	`{"id":"0193a","hlc":123456789,"node":"430702101","base_hlc":0,"base_node":"","row":{"id":"0193a","name":"王秀英","n":-1.5e3,"b":true,"z":null,"s":"a\"b\\c\u00e9\n"}}`,
	`{"id":"x","hlc":1,"node":"n","base_hlc":0,"base_node":"","row":{}}`,
	`{"id":"x","hlc":1,"node":"n","row":{"f":{"file":"ab"}}}`,
	`{"ID":"x","hlc":1,"node":"n","row":{}}`,
	`{"id":"x","hlc":01,"node":"n","row":{}}`,
	`{"id":"x","hlc":1e3,"node":"n","row":{}}`,
	`{"id":"x","id":"y","hlc":1,"node":"n","row":{"a":1,"a":2}}`,
	`{"id":"x","hlc":1,"node":"n","row":{"a":1},"row":{"b":2}}`,
	`{"id":"x\u0041","hlc":99999999999999999999,"node":"n","row":{}}`,
	`{"id":"x","hlc":1,"node":"n","row":{"a":"\x01"}} `,
	"{\"id\":\"\xff\",\"hlc\":1,\"node\":\"n\",\"row\":{\"\xfe\":\"\xfd\"}}",
	`{"id":"x","hlc":1,"node":"n","row":{"a":tru}}`,
	`{"id":"x","hlc":-0,"node":"n","row":{"a":-,"b":0.}}`,
	`{"id":"x","hlc":1,"node":"n","row":null}`,
	`{"id":"x","hlc":1,"node":"n","row":{"a":"\uZZZZ"}}`,
	`[]`, `{}`, `{"id":"x",}`, ``,
}

// decodeRecord must give exactly what json.Unmarshal gives, error or not.
func checkDecodeRecord(t *testing.T, line []byte) {
	var want, got incomingRecord
	werr := json.Unmarshal(line, &want)
	gerr := decodeRecord(line, &got)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%q: json.Unmarshal error %v, decodeRecord error %v", line, werr, gerr)
	}
	if werr == nil && !reflect.DeepEqual(want, got) {
		t.Fatalf("%q:\n json.Unmarshal %+v\n decodeRecord  %+v", line, want, got)
	}
}

func TestDecodeRecordAsEncodingJSON(t *testing.T) {
	for _, s := range decodeSeeds {
		checkDecodeRecord(t, []byte(s))
	}
	line := []byte(decodeSeeds[1])
	var rec incomingRecord
	if !fastDecodeRecord(line, &rec) {
		t.Fatal("the exporter's own form must take the fast path")
	}
}

func FuzzDecodeRecord(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) { checkDecodeRecord(t, line) })
}
