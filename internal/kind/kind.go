// Package kind holds the enums that several stages share: what kind of
// function, resource and access a thing is. The front end decides a
// function's or resource's kind once, from the deployless call that declared
// it; later stages switch on these values and never on call names.
package kind

// Function is the kind of a Lambda function.
type Function uint8

const (
	_          Function = iota
	Feature             // one per feature, serves its routes
	Split               // @pc.route: a route split into its own function
	Cron                // @pc.cron
	Standalone          // @pc.lambda_function
)

var functionNames = [...]string{Feature: "feature", Split: "route", Cron: "cron", Standalone: "lambda_function"}

// name is names[k], or "unknown" for a value without one.
func name[K ~uint8](names []string, k K) string {
	if int(k) < len(names) && names[k] != "" {
		return names[k]
	}
	return "unknown"
}

// String is the deployless decorator's name ("feature" for feature functions).
func (k Function) String() string { return name(functionNames[:], k) }

// MarshalText prints the name in `deployless debug` output.
func (k Function) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Decorator maps a deployless decorator's name to its function kind.
func Decorator(name string) (Function, bool) {
	switch name {
	case "route":
		return Split, true
	case "cron":
		return Cron, true
	case "lambda_function":
		return Standalone, true
	}
	return 0, false
}

// Resource is the kind of a resource declared from Python.
type Resource uint8

const (
	_ Resource = iota
	DynamoDB
	S3
	SQS
	KMS
	SSMParameter
)

var resourceNames = [...]string{DynamoDB: "DynamoDB", S3: "S3", SQS: "SQS", KMS: "KMS", SSMParameter: "SSMParameter"}

// String is the pc.* call that declares the resource.
func (k Resource) String() string { return name(resourceNames[:], k) }

// MarshalText prints the name in `deployless debug` output.
func (k Resource) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// ResourceCall maps a pc.* call name to the resource it declares.
func ResourceCall(name string) (Resource, bool) {
	for k, n := range resourceNames {
		if n != "" && n == name {
			return Resource(k), true
		}
	}
	return 0, false
}

// Access is what a function may do with a resource it is granted.
type Access uint8

const (
	_       Access = iota
	Read           // read items, objects or parameters
	Write          // write them
	Crud           // create, read, update and delete
	Send           // send messages to a queue
	Poll           // receive and delete messages from a queue
	Decrypt        // read a SecureString parameter, decrypting it through SSM
)

var accessNames = [...]string{Read: "read", Write: "write", Crud: "crud", Send: "send", Poll: "poll", Decrypt: "decrypt"}

func (a Access) String() string { return name(accessNames[:], a) }

// MarshalText prints the name in `deployless debug` output.
func (a Access) MarshalText() ([]byte, error) { return []byte(a.String()), nil }
