package lower

import (
	"strings"
	"unicode"
)

// pascal turns "order-items", "export_users_route" or "/myapp/db/host" into
// "OrderItems", "ExportUsersRoute", "MyappDbHost" (SPEC.md §4): split on
// every non-alphanumeric character, capitalise each word, keep the rest.
func pascal(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		r := []rune(w)
		b.WriteRune(unicode.ToUpper(r[0]))
		b.WriteString(string(r[1:]))
	}
	return b.String()
}

// upperSnake turns "ums-users" into "UMS_USERS".
func upperSnake(s string) string {
	return strings.ToUpper(strings.Join(words(s), "_"))
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
}

// trimSuffixes removes the first matching type suffix ("-table", "_table").
func trimSuffixes(name string, suffixes ...string) string {
	lower := strings.ToLower(name)
	for _, s := range suffixes {
		if strings.HasSuffix(lower, s) && len(name) > len(s) {
			return name[:len(name)-len(s)]
		}
	}
	return name
}
