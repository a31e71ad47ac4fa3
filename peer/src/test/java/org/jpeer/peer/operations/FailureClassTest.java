package org.jpeer.peer.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Failure reasons as the executor records them (texts of ChaincodeSupport) map to bounded labels. */
class FailureClassTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Transaction or query returned with failure: Invalid transaction amount, expecting a integer value|chaincode_error",
      "Transaction or query returned with failure: timeout of my own business rule|chaincode_error",
      "chaincode mycc: Timeout expired while starting chaincode (no REGISTER within 30000 ms)|timeout",
      "Error:Failed to launch chaincode spec(Could not get deployment transaction for nosuch - LedgerError)|not_deployed",
      "Failed to launch chaincode spec(cannot package chaincode x)|launch",
      "state value of 5000000 bytes exceeds the limit|too_large",
      "something nobody expected|chaincode_error"})
  void classifies(String reason, String label) {
    assertThat(FailureClass.of(reason).label()).isEqualTo(label);
  }
}
