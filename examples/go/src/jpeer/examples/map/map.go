// map is a key-value chaincode in the spirit of Fabric v0.6's examples/chaincode/go/map, written
// against jpeer's Go shim; it exercises DelState and range queries.
//
//	deploy: ["init"]
//	invoke: ["put", key, value], ["remove", key], ["fill", prefix, n] (puts <prefix>0 .. <prefix>n-1)
//	query:  ["get", key] -> value, ["keys"] -> JSON array of all keys (range query, peer's order)
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"jpeer/shim"
)

// MapChaincode stores strings under keys.
type MapChaincode struct{}

// Init needs no arguments.
func (t *MapChaincode) Init(stub shim.ChaincodeStubInterface, function string, args []string) ([]byte, error) {
	return nil, nil
}

// Invoke puts or removes a key.
func (t *MapChaincode) Invoke(stub shim.ChaincodeStubInterface, function string, args []string) ([]byte, error) {
	switch function {
	case "put":
		if len(args) != 2 {
			return nil, errors.New("put operation must include two arguments, a key and value")
		}
		return nil, stub.PutState(args[0], []byte(args[1]))
	case "fill":
		if len(args) != 2 {
			return nil, errors.New("fill operation must include two arguments, a prefix and a count")
		}
		n, err := strconv.Atoi(args[1])
		if err != nil {
			return nil, errors.New("fill count must be an integer")
		}
		for i := 0; i < n; i++ {
			if err := stub.PutState(args[0]+strconv.Itoa(i), []byte(strconv.Itoa(i))); err != nil {
				return nil, err
			}
		}
		return nil, nil
	case "remove":
		if len(args) != 1 {
			return nil, errors.New("remove operation must include one argument, a key")
		}
		return nil, stub.DelState(args[0])
	}
	return nil, fmt.Errorf("Unsupported operation %q", function)
}

// Query gets one key, or lists every key with a range query.
func (t *MapChaincode) Query(stub shim.ChaincodeStubInterface, function string, args []string) ([]byte, error) {
	switch function {
	case "get":
		if len(args) != 1 {
			return nil, errors.New("get operation must include one argument, a key")
		}
		return stub.GetState(args[0])
	case "keys":
		it, err := stub.RangeQueryState("", "")
		if err != nil {
			return nil, fmt.Errorf("range query failed: %s", err)
		}
		defer it.Close()
		keys := []string{}
		for it.HasNext() {
			key, _, err := it.Next()
			if err != nil {
				return nil, fmt.Errorf("keys operation failed: %s", err)
			}
			keys = append(keys, key)
		}
		return json.Marshal(keys)
	}
	return nil, fmt.Errorf("Unsupported operation %q", function)
}

func main() {
	if err := shim.Start(new(MapChaincode)); err != nil {
		fmt.Printf("Error starting map chaincode: %s\n", err)
		os.Exit(1)
	}
}
