package build

import (
	"reflect"
	"testing"

	"github.com/guide-build/guide/internal/diag"
)

// A record reads back as it was written, and one cut short or with a byte
// changed anywhere is refused.
func TestRecordRoundTrip(t *testing.T) {
	files := []fileStat{
		{"404.html", 120, 1700000000123456789, 2049, 77},
		{"roles/a/index.html", 5000, 1700000000123456790, 2049, 78},
		{"roles/ab/index.html", 0, -5, 0, 0},
		{"roles/b/index.html", 1 << 40, 1, 1 << 63, 1<<64 - 1},
	}
	rec := &record{
		Stamp: "stamp", Roles: 3, Questions: 48, Written: 4,
		Warnings: []diag.Diagnostic{{File: "content/roles/a.md", Line: 12, Col: 3, Severity: diag.Warning, Message: "a warning"}},
		Files:    files,
		Taken:    1700000000000000000,
		Inputs:   []inputStat{{File: fileStat{"content/roles/a.md", 10, 20, 1, 2}, CTime: 30, Sum: [32]byte{1, 2, 3}}, {File: fileStat{"guide.yaml", 11, 21, 1, 3}, CTime: 31}},
		Before:   &output{Stamp: "before", Files: files[1:]},
	}
	data, err := rec.encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rec) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, rec)
	}
	rec.Before, rec.Warnings = nil, nil
	data2, _ := rec.encode()
	if got, err := decodeRecord(data2); err != nil || !reflect.DeepEqual(got, rec) {
		t.Errorf("without a folder before or warnings, read back %+v, %v", got, err)
	}
	for n := range len(data) {
		if _, err := decodeRecord(data[:n]); err == nil {
			t.Fatalf("read a record cut to %d of %d bytes", n, len(data))
		}
	}
	for i := range data {
		b := []byte(string(data))
		b[i] ^= 0x10
		if _, err := decodeRecord(b); err == nil {
			t.Fatalf("read a record with byte %d of %d changed", i, len(data))
		}
	}
}
