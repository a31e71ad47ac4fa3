package org.jpeer.peer.cli;

import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.Callable;
import org.jpeer.config.JpeerConfig;
import org.jpeer.protos.ChaincodeDeploymentSpec;
import org.jpeer.protos.ChaincodeSpec;
import org.jpeer.protos.DevopsGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code peer chaincode deploy}: Devops.Deploy, then prints {@code Deploy chaincode: <name>}. */
@Command(name = "deploy", description = "Deploy the specified chaincode to the network.")
final class ChaincodeDeployCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ChaincodeDeployCommand.class);

  @Mixin CommonOptions common;
  @Mixin ChaincodeFlags options;

  private final CliContext context;

  ChaincodeDeployCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws CliException {
    JpeerConfig config = context.loadConfig("chaincode", List.of());
    ChaincodeSpec spec = ChaincodeSpecs.build(options, config);
    try (PeerClient client = PeerClient.open(config)) {
      ChaincodeDeploymentSpec deployed;
      try {
        deployed = client.devops().deploy(spec);
      } catch (StatusRuntimeException e) {
        throw client.failure(e, "Error building chaincode", "peer chaincode deploy", DevopsGrpc.getDeployMethod());
      }
      log.info("Deploy result: {}", deployed.getChaincodeSpec());
      context.out().println("Deploy chaincode: " + deployed.getChaincodeSpec().getChaincodeID().getName());
      return 0;
    }
  }
}
