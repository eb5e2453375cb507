package lower

import "testing"

func TestNames(t *testing.T) {
	for _, c := range []struct{ in, pascal, snake string }{
		{"order-items", "OrderItems", "ORDER_ITEMS"},
		{"export_users_route", "ExportUsersRoute", "EXPORT_USERS_ROUTE"},
		{"/myapp/db/host", "MyappDbHost", "MYAPP_DB_HOST"},
		{"ums-users", "UmsUsers", "UMS_USERS"},
	} {
		if got := pascal(c.in); got != c.pascal {
			t.Errorf("pascal(%q) = %q, want %q", c.in, got, c.pascal)
		}
		if got := upperSnake(c.in); got != c.snake {
			t.Errorf("upperSnake(%q) = %q, want %q", c.in, got, c.snake)
		}
	}
	for in, want := range map[string]string{"users-table": "users", "orders_table": "orders", "sessions": "sessions", "-table": "-table"} {
		if got := trimSuffixes(in, "-table", "_table"); got != want {
			t.Errorf("trimSuffixes(%q) = %q, want %q", in, got, want)
		}
	}
}
