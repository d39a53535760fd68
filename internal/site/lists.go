package site

import "strconv"

// A list page (a category, a department) that would list more than the
// guide's page-size goes on over further pages. Page 1 keeps the list's
// URL; page n is at <URL>page/n/.

// PagePath returns the path of page n, from 1, of the list at path.
func PagePath(path string, n int) string {
	if n <= 1 {
		return path
	}
	return path + "page/" + strconv.Itoa(n) + "/"
}

// paginate splits roles into pages, in order: a page takes roles while their
// sizes add up to at most budget, and a role larger than budget has a page
// to itself. There is always a first page, empty for an empty list.
func paginate(roles []*Entry, budget int, size func(*Entry) int) [][]*Entry {
	pages := [][]*Entry{nil}
	used := 0
	for _, e := range roles {
		n := size(e)
		last := len(pages) - 1
		if len(pages[last]) > 0 && used+n > budget {
			pages, last, used = append(pages, nil), last+1, 0
		}
		pages[last] = append(pages[last], e)
		used += n
	}
	return pages
}

// CategoryPages returns the roles with questions of category c, in site
// order, cut into pages of at most the guide's page-size of questions.
func (s *Site) CategoryPages(c *Category) [][]*Entry {
	var roles []*Entry
	for _, e := range s.Roles {
		if e.Refs.Count(c.Index) > 0 {
			roles = append(roles, e)
		}
	}
	return paginate(roles, s.Config.PageSize.Category, func(e *Entry) int { return e.Refs.Count(c.Index) })
}

// DepartmentPages returns the roles of department d cut into pages of at
// most the guide's page-size of roles.
func (s *Site) DepartmentPages(d *Department) [][]*Entry {
	return paginate(d.Roles, s.Config.PageSize.Department, func(*Entry) int { return 1 })
}

// Featured returns the roles of department d that the home page shows.
func (s *Site) Featured(d *Department) []*Entry {
	return d.Roles[:min(len(d.Roles), s.Config.PageSize.Home)]
}
