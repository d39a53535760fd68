package content

import "github.com/guide-build/guide/internal/fold"

// Slugify makes a slug from any text: "Product & Design" becomes
// "product-design".
func Slugify(s string) string { return fold.Slug(s, 0) }
