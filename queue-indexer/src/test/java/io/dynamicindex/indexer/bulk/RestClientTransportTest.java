package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestClientTransportTest {

    @Test
    void trustsAPemCaCertificate(@TempDir Path directory) throws Exception {
        Path keystore = directory.resolve("ca.p12");
        Path pem = directory.resolve("ca.pem");
        run("keytool", "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=test-ca",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "secret");
        run("keytool", "-exportcert", "-rfc", "-alias", "ca", "-keystore", keystore.toString(), "-storepass",
                "secret", "-file", pem.toString());

        SSLContext context = RestClientTransport.trustFor(pem.toString());

        assertThat(context).isNotNull();
        assertThat(RestClientTransport.trustFor(null)).isNull();
    }

    @Test
    void refusesAnUnreadableCertificateNamingTheKey(@TempDir Path directory) throws Exception {
        Path notPem = Files.writeString(directory.resolve("x.pem"), "not a certificate");
        assertThatThrownBy(() -> RestClientTransport.trustFor(notPem.toString()))
                .hasMessageContaining("dynamic-index.indexer.elasticsearch.ca-certificate='" + notPem + "'");
    }

    private static void run(String... command) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", command[0]).toString();
        command[0] = keytool;
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
