// Package shim lets Go chaincode talk to a Fabric v0.6 peer (jpeer or the original) over the
// chaincode stream protocol (ChaincodeSupport.Register). It is a small shim written for jpeer, so
// that Go chaincode can be built without the original's source tree; its API follows the
// original's shim where it overlaps (Chaincode, Start, stub.GetState/PutState/DelState,
// RangeQueryState, InvokeChaincode, QueryChaincode, SetEvent).
//
// Start-up as the original's shim.Start: the peer address comes from the -peer.address flag, else
// CORE_PEER_ADDRESS; the name from CORE_CHAINCODE_ID_NAME. TLS is not supported (jpeer does not
// serve it).
package shim

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"context"
	"github.com/golang/protobuf/proto"
	"google.golang.org/grpc"

	pb "jpeer/shim/protos"
)

// Chaincode is what a chaincode program implements; function is args[0] of the request, args the
// rest, all as strings (the v0.6 calling convention).
type Chaincode interface {
	Init(stub ChaincodeStubInterface, function string, args []string) ([]byte, error)
	Invoke(stub ChaincodeStubInterface, function string, args []string) ([]byte, error)
	Query(stub ChaincodeStubInterface, function string, args []string) ([]byte, error)
}

var peerAddress = flag.String("peer.address", "", "peer address host:port (else CORE_PEER_ADDRESS)")

// Start connects to the peer, registers under CORE_CHAINCODE_ID_NAME and serves requests until the
// stream ends. It returns the reason the stream ended.
func Start(cc Chaincode) error {
	if !flag.Parsed() {
		flag.Parse()
	}
	address := *peerAddress
	if address == "" {
		address = os.Getenv("CORE_PEER_ADDRESS")
	}
	if address == "" {
		return errors.New("no peer address: give -peer.address or set CORE_PEER_ADDRESS")
	}
	name := os.Getenv("CORE_CHAINCODE_ID_NAME")
	if name == "" {
		return errors.New("CORE_CHAINCODE_ID_NAME is not set")
	}
	// the original dials for 3 s; jpeer's runtimes pass a longer wait for busy machines
	dial := 3 * time.Second
	if ms, err := strconv.Atoi(os.Getenv("CORE_CHAINCODE_DIALTIMEOUT")); err == nil && ms > 0 {
		dial = time.Duration(ms) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), dial)
	defer cancel()
	conn, err := grpc.DialContext(ctx, address, grpc.WithInsecure(), grpc.WithBlock(),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(100*1024*1024)))
	if err != nil {
		return fmt.Errorf("cannot dial peer at %s: %s", address, err)
	}
	defer conn.Close()
	stream, err := pb.NewChaincodeSupportClient(conn).Register(context.Background())
	if err != nil {
		return fmt.Errorf("cannot open the chaincode stream at %s: %s", address, err)
	}
	h := newHandler(cc, stream)
	payload, _ := proto.Marshal(&pb.ChaincodeID{Name: name})
	if err := h.send(&pb.ChaincodeMessage{Type: pb.ChaincodeMessage_REGISTER, Payload: payload}); err != nil {
		return fmt.Errorf("cannot register: %s", err)
	}
	return h.serve()
}

// handler is one chaincode stream: one writer at a time, one reader loop, requests served on their
// own goroutines, answers to the chaincode's own requests routed back by txid.
type handler struct {
	cc     Chaincode
	stream pb.ChaincodeSupport_RegisterClient

	sendLock sync.Mutex
	lock     sync.Mutex
	waiting  map[string]chan *pb.ChaincodeMessage // txid -> the answer to its pending request
	isTx     map[string]bool                      // txid -> INIT/TRANSACTION (may write) or QUERY
}

func newHandler(cc Chaincode, stream pb.ChaincodeSupport_RegisterClient) *handler {
	return &handler{cc: cc, stream: stream, waiting: map[string]chan *pb.ChaincodeMessage{},
		isTx: map[string]bool{}}
}

func (h *handler) send(msg *pb.ChaincodeMessage) error {
	h.sendLock.Lock()
	defer h.sendLock.Unlock()
	return h.stream.Send(msg)
}

func (h *handler) serve() error {
	for {
		msg, err := h.stream.Recv()
		if err != nil {
			return fmt.Errorf("chaincode stream ended: %s", err)
		}
		switch msg.Type {
		case pb.ChaincodeMessage_REGISTERED, pb.ChaincodeMessage_READY:
			// nothing to do: requests may come now
		case pb.ChaincodeMessage_KEEPALIVE:
			if err := h.send(msg); err != nil {
				return err
			}
		case pb.ChaincodeMessage_INIT, pb.ChaincodeMessage_TRANSACTION:
			h.mark(msg.Txid, true)
			go h.execute(msg)
		case pb.ChaincodeMessage_QUERY:
			h.mark(msg.Txid, false)
			go h.execute(msg)
		case pb.ChaincodeMessage_RESPONSE, pb.ChaincodeMessage_ERROR:
			h.lock.Lock()
			ch := h.waiting[msg.Txid]
			delete(h.waiting, msg.Txid)
			h.lock.Unlock()
			if ch != nil {
				ch <- msg
			}
		default:
			text := fmt.Sprintf("Chaincode handler cannot handle message (%s)", msg.Type)
			h.send(&pb.ChaincodeMessage{Type: pb.ChaincodeMessage_ERROR, Payload: []byte(text), Txid: msg.Txid})
			return errors.New(text)
		}
	}
}

func (h *handler) mark(txid string, tx bool) {
	h.lock.Lock()
	h.isTx[txid] = tx
	h.lock.Unlock()
}

func (h *handler) isTransaction(txid string) bool {
	h.lock.Lock()
	defer h.lock.Unlock()
	return h.isTx[txid]
}

// execute runs Init, Invoke or Query and sends the answer.
func (h *handler) execute(msg *pb.ChaincodeMessage) {
	stub := &ChaincodeStub{handler: h, txid: msg.Txid, securityContext: msg.SecurityContext}
	// the Go shim reads the arguments from the security context (chaincode.md §8.4)
	input := &pb.ChaincodeInput{}
	raw := msg.Payload
	if msg.SecurityContext != nil && msg.SecurityContext.Payload != nil {
		raw = msg.SecurityContext.Payload
	}
	var result []byte
	err := proto.Unmarshal(raw, input)
	if err == nil {
		stub.args = input.Args
		function, args := stub.GetFunctionAndParameters()
		switch msg.Type {
		case pb.ChaincodeMessage_INIT:
			result, err = h.cc.Init(stub, function, args)
		case pb.ChaincodeMessage_TRANSACTION:
			result, err = h.cc.Invoke(stub, function, args)
		default:
			result, err = h.cc.Query(stub, function, args)
		}
	}
	h.lock.Lock()
	delete(h.isTx, msg.Txid)
	h.lock.Unlock()
	answer := &pb.ChaincodeMessage{Txid: msg.Txid}
	if msg.Type == pb.ChaincodeMessage_QUERY {
		if err != nil {
			answer.Type, answer.Payload = pb.ChaincodeMessage_QUERY_ERROR, []byte(err.Error())
		} else {
			answer.Type, answer.Payload = pb.ChaincodeMessage_QUERY_COMPLETED, result
		}
	} else {
		answer.ChaincodeEvent = stub.event
		if err != nil {
			answer.Type, answer.Payload = pb.ChaincodeMessage_ERROR, []byte(err.Error())
		} else {
			answer.Type, answer.Payload = pb.ChaincodeMessage_COMPLETED, result
		}
	}
	h.send(answer)
}

// request sends a state or chaincode request for txid and waits for the peer's RESPONSE; an ERROR
// answer becomes an error with its text.
func (h *handler) request(txid string, t pb.ChaincodeMessage_Type, payload []byte) ([]byte, error) {
	ch := make(chan *pb.ChaincodeMessage, 1)
	h.lock.Lock()
	if _, busy := h.waiting[txid]; busy {
		h.lock.Unlock()
		return nil, errors.New("Another state request pending for this Txid. Cannot process.")
	}
	h.waiting[txid] = ch
	h.lock.Unlock()
	if err := h.send(&pb.ChaincodeMessage{Type: t, Payload: payload, Txid: txid}); err != nil {
		h.lock.Lock()
		delete(h.waiting, txid)
		h.lock.Unlock()
		return nil, fmt.Errorf("cannot send %s: %s", t, err)
	}
	answer := <-ch
	if answer.Type == pb.ChaincodeMessage_ERROR {
		return nil, errors.New(string(answer.Payload))
	}
	return answer.Payload, nil
}
