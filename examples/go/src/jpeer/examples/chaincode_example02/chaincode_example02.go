// chaincode_example02 is the Fabric v0.6 sample of the same name, written against jpeer's Go shim:
// two accounts with integer balances, moved by "invoke" and read by "query".
//
//	deploy: ["init", "a", "100", "b", "200"]
//	invoke: ["invoke", "a", "b", "10"]   moves 10 from a to b
//	invoke: ["delete", "a"]              removes account a
//	query:  ["query", "a"]               -> "90"
package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"jpeer/shim"
)

// SimpleChaincode is the example's chaincode.
type SimpleChaincode struct{}

// Init creates the two accounts.
func (t *SimpleChaincode) Init(stub shim.ChaincodeStubInterface, function string, args []string) ([]byte, error) {
	if len(args) != 4 {
		return nil, errors.New("Incorrect number of arguments. Expecting 4")
	}
	aval, err := strconv.Atoi(args[1])
	if err != nil {
		return nil, errors.New("Expecting integer value for asset holding")
	}
	bval, err := strconv.Atoi(args[3])
	if err != nil {
		return nil, errors.New("Expecting integer value for asset holding")
	}
	fmt.Printf("Aval = %d, Bval = %d\n", aval, bval)
	if err := stub.PutState(args[0], []byte(strconv.Itoa(aval))); err != nil {
		return nil, err
	}
	if err := stub.PutState(args[2], []byte(strconv.Itoa(bval))); err != nil {
		return nil, err
	}
	return nil, nil
}

// Invoke moves an amount from one account to the other, or deletes an account.
func (t *SimpleChaincode) Invoke(stub shim.ChaincodeStubInterface, function string, args []string) ([]byte, error) {
	if function == "delete" {
		return t.delete(stub, args)
	}
	if len(args) != 3 {
		return nil, errors.New("Incorrect number of arguments. Expecting 3")
	}
	a, b := args[0], args[1]
	abytes, err := stub.GetState(a)
	if err != nil {
		return nil, errors.New("Failed to get state")
	}
	if abytes == nil {
		return nil, errors.New("Entity not found")
	}
	aval, _ := strconv.Atoi(string(abytes))
	bbytes, err := stub.GetState(b)
	if err != nil {
		return nil, errors.New("Failed to get state")
	}
	if bbytes == nil {
		return nil, errors.New("Entity not found")
	}
	bval, _ := strconv.Atoi(string(bbytes))
	x, err := strconv.Atoi(args[2])
	if err != nil {
		return nil, errors.New("Invalid transaction amount, expecting a integer value")
	}
	aval, bval = aval-x, bval+x
	fmt.Printf("Aval = %d, Bval = %d\n", aval, bval)
	if err := stub.PutState(a, []byte(strconv.Itoa(aval))); err != nil {
		return nil, err
	}
	if err := stub.PutState(b, []byte(strconv.Itoa(bval))); err != nil {
		return nil, err
	}
	return nil, nil
}

func (t *SimpleChaincode) delete(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
	if len(args) != 1 {
		return nil, errors.New("Incorrect number of arguments. Expecting 1")
	}
	if err := stub.DelState(args[0]); err != nil {
		return nil, errors.New("Failed to delete state")
	}
	return nil, nil
}

// Query answers the balance of one account.
func (t *SimpleChaincode) Query(stub shim.ChaincodeStubInterface, function string, args []string) ([]byte, error) {
	if function != "query" {
		return nil, errors.New("Invalid query function name. Expecting \"query\"")
	}
	if len(args) != 1 {
		return nil, errors.New("Incorrect number of arguments. Expecting name of the person to query")
	}
	a := args[0]
	avalbytes, err := stub.GetState(a)
	if err != nil {
		return nil, errors.New("{\"Error\":\"Failed to get state for " + a + "\"}")
	}
	if avalbytes == nil {
		return nil, errors.New("{\"Error\":\"Nil amount for " + a + "\"}")
	}
	fmt.Printf("Query Response:{\"Name\":\"%s\",\"Amount\":\"%s\"}\n", a, string(avalbytes))
	return avalbytes, nil
}

func main() {
	if err := shim.Start(new(SimpleChaincode)); err != nil {
		fmt.Printf("Error starting Simple chaincode: %s\n", err)
		os.Exit(1)
	}
}
