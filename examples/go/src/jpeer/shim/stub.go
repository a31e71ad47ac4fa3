package shim

import (
	"errors"

	"github.com/golang/protobuf/proto"

	pb "jpeer/shim/protos"
)

// ChaincodeStubInterface is what a chaincode function may ask of the peer during one request.
type ChaincodeStubInterface interface {
	GetTxID() string
	GetArgs() [][]byte
	GetStringArgs() []string
	GetFunctionAndParameters() (string, []string)
	GetState(key string) ([]byte, error)
	PutState(key string, value []byte) error
	DelState(key string) error
	RangeQueryState(startKey, endKey string) (StateRangeQueryIteratorInterface, error)
	InvokeChaincode(chaincodeName string, args [][]byte) ([]byte, error)
	QueryChaincode(chaincodeName string, args [][]byte) ([]byte, error)
	SetEvent(name string, payload []byte) error
}

// ChaincodeStub serves one INIT, TRANSACTION or QUERY.
type ChaincodeStub struct {
	handler         *handler
	txid            string
	args            [][]byte
	securityContext *pb.ChaincodeSecurityContext
	event           *pb.ChaincodeEvent
}

// GetTxID is the id of the transaction or query being served.
func (s *ChaincodeStub) GetTxID() string { return s.txid }

// GetArgs are the request's arguments, function name first.
func (s *ChaincodeStub) GetArgs() [][]byte { return s.args }

// GetStringArgs are GetArgs as strings.
func (s *ChaincodeStub) GetStringArgs() []string {
	out := make([]string, len(s.args))
	for i, a := range s.args {
		out[i] = string(a)
	}
	return out
}

// GetFunctionAndParameters splits the arguments into the function name and its parameters.
func (s *ChaincodeStub) GetFunctionAndParameters() (string, []string) {
	all := s.GetStringArgs()
	if len(all) == 0 {
		return "", []string{}
	}
	return all[0], all[1:]
}

// GetState reads a key of this chaincode's state; a missing key reads as empty (nil).
func (s *ChaincodeStub) GetState(key string) ([]byte, error) {
	v, err := s.handler.request(s.txid, pb.ChaincodeMessage_GET_STATE, []byte(key))
	if len(v) == 0 {
		v = nil
	}
	return v, err
}

// PutState writes a key; only in Init and Invoke.
func (s *ChaincodeStub) PutState(key string, value []byte) error {
	if !s.handler.isTransaction(s.txid) {
		return errors.New("Cannot put state in query context")
	}
	payload, err := proto.Marshal(&pb.PutStateInfo{Key: key, Value: value})
	if err != nil {
		return err
	}
	_, err = s.handler.request(s.txid, pb.ChaincodeMessage_PUT_STATE, payload)
	return err
}

// DelState deletes a key; only in Init and Invoke.
func (s *ChaincodeStub) DelState(key string) error {
	if !s.handler.isTransaction(s.txid) {
		return errors.New("Cannot del state in query context")
	}
	_, err := s.handler.request(s.txid, pb.ChaincodeMessage_DEL_STATE, []byte(key))
	return err
}

// RangeQueryState iterates over the keys from startKey to endKey, both included (an empty endKey
// has no upper bound). The order is the peer's (not sorted with buckettree). Close the iterator.
func (s *ChaincodeStub) RangeQueryState(startKey, endKey string) (StateRangeQueryIteratorInterface, error) {
	payload, err := proto.Marshal(&pb.RangeQueryState{StartKey: startKey, EndKey: endKey})
	if err != nil {
		return nil, err
	}
	answer, err := s.handler.request(s.txid, pb.ChaincodeMessage_RANGE_QUERY_STATE, payload)
	if err != nil {
		return nil, err
	}
	response := &pb.RangeQueryStateResponse{}
	if err := proto.Unmarshal(answer, response); err != nil {
		return nil, err
	}
	return &rangeIterator{stub: s, response: response}, nil
}

// InvokeChaincode runs a transaction on another chaincode within this one (Init or Invoke only).
func (s *ChaincodeStub) InvokeChaincode(chaincodeName string, args [][]byte) ([]byte, error) {
	return s.call(pb.ChaincodeMessage_INVOKE_CHAINCODE, pb.ChaincodeMessage_COMPLETED, chaincodeName, args)
}

// QueryChaincode queries another chaincode (committed state).
func (s *ChaincodeStub) QueryChaincode(chaincodeName string, args [][]byte) ([]byte, error) {
	return s.call(pb.ChaincodeMessage_INVOKE_QUERY, pb.ChaincodeMessage_QUERY_COMPLETED, chaincodeName, args)
}

func (s *ChaincodeStub) call(t, success pb.ChaincodeMessage_Type, name string, args [][]byte) ([]byte, error) {
	if t == pb.ChaincodeMessage_INVOKE_CHAINCODE && !s.handler.isTransaction(s.txid) {
		return nil, errors.New("Cannot invoke chaincode in query context")
	}
	payload, err := proto.Marshal(&pb.ChaincodeSpec{ChaincodeID: &pb.ChaincodeID{Name: name},
		CtorMsg: &pb.ChaincodeInput{Args: args}})
	if err != nil {
		return nil, err
	}
	answer, err := s.handler.request(s.txid, t, payload)
	if err != nil {
		return nil, err
	}
	callee := &pb.ChaincodeMessage{}
	if err := proto.Unmarshal(answer, callee); err != nil {
		return nil, err
	}
	if callee.Type != success {
		return nil, errors.New(string(callee.Payload))
	}
	return callee.Payload, nil
}

// SetEvent attaches a chaincode event to the transaction's answer (Init and Invoke).
func (s *ChaincodeStub) SetEvent(name string, payload []byte) error {
	if name == "" {
		return errors.New("Event name can not be nil string.")
	}
	s.event = &pb.ChaincodeEvent{EventName: name, Payload: payload}
	return nil
}

// StateRangeQueryIteratorInterface walks the result of RangeQueryState.
type StateRangeQueryIteratorInterface interface {
	HasNext() bool
	Next() (string, []byte, error)
	Close() error
}

type rangeIterator struct {
	stub     *ChaincodeStub
	response *pb.RangeQueryStateResponse
	index    int
	err      error
}

// HasNext fetches the next page from the peer when this one is used up.
func (it *rangeIterator) HasNext() bool {
	if it.index < len(it.response.KeysAndValues) {
		return true
	}
	if !it.response.HasMore || it.err != nil {
		return false
	}
	payload, _ := proto.Marshal(&pb.RangeQueryStateNext{ID: it.response.ID})
	answer, err := it.stub.handler.request(it.stub.txid, pb.ChaincodeMessage_RANGE_QUERY_STATE_NEXT, payload)
	if err != nil {
		it.err = err
		return false
	}
	next := &pb.RangeQueryStateResponse{}
	if err := proto.Unmarshal(answer, next); err != nil {
		it.err = err
		return false
	}
	it.response, it.index = next, 0
	return it.index < len(it.response.KeysAndValues)
}

func (it *rangeIterator) Next() (string, []byte, error) {
	if !it.HasNext() {
		if it.err != nil {
			return "", nil, it.err
		}
		return "", nil, errors.New("no more keys in the range")
	}
	kv := it.response.KeysAndValues[it.index]
	it.index++
	return kv.Key, kv.Value, nil
}

func (it *rangeIterator) Close() error {
	payload, _ := proto.Marshal(&pb.RangeQueryStateClose{ID: it.response.ID})
	_, err := it.stub.handler.request(it.stub.txid, pb.ChaincodeMessage_RANGE_QUERY_STATE_CLOSE, payload)
	return err
}
