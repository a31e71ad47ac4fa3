package org.jpeer.membersrvc;

/**
 * A certificate as a CA keeps it.
 *
 * @param usage Go's x509.KeyUsage bits of the certificate (1 signing, 8 data encipherment)
 * @param hash the configured hash of the DER, the key of ECAP.ReadCertificateByHash
 */
record IssuedCertificate(int usage, byte[] der, byte[] hash) {}
