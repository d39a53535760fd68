package build

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// searchFormat changes whenever the search files' format or scoring does,
// so that their names change with it.
const searchFormat = "9"

// searchVersion names the folder of the search files after everything they
// are made from: guide.yaml, every role file and whether drafts are in. A
// changed guide gets new file names, so hosts may cache the files for good,
// and a page never mixes files of two builds. The same guide always gets the
// same name.
func searchVersion(config []byte, files []string, sums [][32]byte, drafts bool) string {
	h := sha256.New()
	h.Write([]byte("guide search " + searchFormat + " drafts=" + strconv.FormatBool(drafts) + "\n"))
	c := sha256.Sum256(config)
	h.Write(c[:])
	for i, f := range files {
		h.Write([]byte(f + "\n"))
		h.Write(sums[i][:])
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
