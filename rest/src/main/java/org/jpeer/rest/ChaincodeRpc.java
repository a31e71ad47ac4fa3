package org.jpeer.rest;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jpeer.devops.Devops;
import org.jpeer.devops.DevopsException;
import org.jpeer.devops.EngineBusyException;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeInvocationSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /chaincode without the HTTP: the JSON-RPC 2.0 envelope checked in the original's order
 * (rest-api.md §2.2), then the method's own checks (§2.3) and the call into {@link Devops}.
 */
final class ChaincodeRpc {
  private static final Logger log = LoggerFactory.getLogger(ChaincodeRpc.class);

  private final Devops devops;
  private final boolean devMode;

  ChaincodeRpc(Devops devops, boolean devMode) {
    this.devops = Objects.requireNonNull(devops, "devops");
    this.devMode = devMode;
  }

  RpcReply handle(byte[] body) {
    if (body.length == 0) {
      return RpcReply.error(400, RpcError.INVALID_REQUEST, "Client must supply a payload for chaincode requests.", null);
    }
    RpcRequest request;
    try {
      request = RpcRequestParser.parse(body);
    } catch (RpcParseException e) {
      // The original answers parse errors with id null even when the id could be read.
      return RpcReply.error(400, RpcError.PARSE_ERROR, "Error unmarshalling chaincode request payload: " + e.getMessage(), null);
    }
    RpcReply reply = checkAndRun(request);
    return request.id() == null ? RpcReply.notification() : reply;
  }

  private RpcReply checkAndRun(RpcRequest request) {
    RpcId id = request.id();
    if (request.jsonrpc() == null) {
      return RpcReply.error(400, RpcError.INVALID_REQUEST, "Missing JSON RPC 2.0 version string.", id);
    }
    if (!request.jsonrpc().equals("2.0")) {
      return RpcReply.error(400, RpcError.INVALID_REQUEST, "Invalid JSON RPC 2.0 version string. Must be 2.0.", id);
    }
    if (request.method() == null) {
      return RpcReply.error(400, RpcError.INVALID_REQUEST, "Missing JSON RPC 2.0 method string.", id);
    }
    String method = request.method();
    if (!method.equals("deploy") && !method.equals("invoke") && !method.equals("query")) {
      return RpcReply.error(404, RpcError.METHOD_NOT_FOUND, "Requested method does not exist.", id);
    }
    ChaincodeSpec spec = request.params();
    if (spec == null) {
      // The original says "deploy" for invoke and query too; clients may match the text.
      return RpcReply.error(400, RpcError.INVALID_PARAMS, "Client must supply ChaincodeSpec for chaincode deploy request.", id);
    }
    try {
      return method.equals("deploy") ? deploy(spec, id) : invokeOrQuery(method.equals("invoke"), spec, id);
    } catch (RuntimeException e) {
      // A bug or a broken component below us: answer in JSON-RPC terms and keep serving.
      log.warn("REST {} failed unexpectedly", method, e);
      return RpcReply.error(500, RpcError.INTERNAL_ERROR, "Internal error while processing " + method + ": " + e, id);
    }
  }

  private RpcReply deploy(ChaincodeSpec spec, RpcId id) {
    if (!spec.hasChaincodeID()) {
      return invalidParams("Payload must contain a ChaincodeID.", id);
    }
    if (devMode) {
      if (spec.getChaincodeID().getName().isEmpty()) {
        return invalidParams("Chaincode name may not be blank in development mode.", id);
      }
    } else if (spec.getChaincodeID().getPath().isEmpty()) {
      return invalidParams("Chaincode path may not be blank.", id);
    }
    if (!hasCtor(spec)) {
      return invalidParams("Payload must contain a CtorMsg with a Chaincode function name.", id);
    }
    Secured secured = secured(spec, id);
    if (secured.refusal() != null) {
      return secured.refusal();
    }
    spec = secured.spec();
    try {
      ChaincodeDeploymentSpec cds = devops.deploy(spec);
      String name = cds.getChaincodeSpec().getChaincodeID().getName();
      log.info("REST successfully deploy chaincode: {}", name);
      return RpcReply.ok(id, name);
    } catch (DevopsException | EngineBusyException e) {
      log.debug("REST deploy failed: {}", e.getMessage());
      return RpcReply.error(200, RpcError.DEPLOYMENT_FAILURE, "Error when deploying chaincode: " + e.getMessage(), id);
    }
  }

  private RpcReply invokeOrQuery(boolean invoke, ChaincodeSpec spec, RpcId id) {
    if (!spec.hasChaincodeID()) {
      return invalidParams("Payload must contain a ChaincodeID.", id);
    }
    if (spec.getChaincodeID().getName().isEmpty()) {
      return invalidParams("Chaincode name may not be blank.", id);
    }
    if (!hasCtor(spec)) {
      return invalidParams("Payload must contain a CtorMsg with a Chaincode function name.", id);
    }
    Secured secured = secured(spec, id);
    if (secured.refusal() != null) {
      return secured.refusal();
    }
    spec = secured.spec();
    ChaincodeInvocationSpec cis = ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(spec).build();
    if (invoke) {
      try {
        String txid = devops.invoke(cis);
        log.debug("REST invoke submitted as {}", txid);
        return RpcReply.ok(id, txid);
      } catch (DevopsException | EngineBusyException e) {
        return RpcReply.error(200, RpcError.INVOCATION_FAILURE, "Error when invoking chaincode: " + e.getMessage(), id);
      }
    }
    try {
      return RpcReply.ok(id, new String(devops.query(cis), StandardCharsets.UTF_8));
    } catch (DevopsException e) {
      return RpcReply.error(200, RpcError.QUERY_FAILURE, "Error when querying chaincode: " + e.getMessage(), id);
    }
  }

  /** The spec to run, or the refusal of a secured peer. */
  private record Secured(ChaincodeSpec spec, RpcReply refusal) {}

  /**
   * With security on, the user named in {@code secureContext} must hold a login token here; its
   * content then becomes the secure context, as the original's REST layer does. A request naming
   * a user who is not logged in stops here and never reaches the ledger.
   */
  private Secured secured(ChaincodeSpec spec, RpcId id) {
    if (devops.security().isEmpty()) {
      return new Secured(spec, null);
    }
    String user = spec.getSecureContext();
    if (user.isEmpty()) {
      return new Secured(null, invalidParams("Must supply username for chaincode when security is enabled.", id));
    }
    String token;
    try {
      token = devops.security().get().readToken(user);
    } catch (java.io.IOException e) {
      token = null;
    }
    if (token == null) {
      return new Secured(null, RpcReply.error(200, RpcError.REGISTRATION_MISSING,
          "User not logged in. Use the '/registrar' endpoint to obtain a security token.", id));
    }
    return new Secured(spec.toBuilder().setSecureContext(token).build(), null);
  }

  private static boolean hasCtor(ChaincodeSpec spec) {
    return spec.hasCtorMsg() && spec.getCtorMsg().getArgsCount() > 0;
  }

  private static RpcReply invalidParams(String data, RpcId id) {
    return RpcReply.error(200, RpcError.INVALID_PARAMS, data, id);
  }
}
