package account

// UserQuery selects accounts for the admin list.
type UserQuery struct {
	Role   string
	Search string // part of a name or login, any case
	Limit  int
}
