package io.dynamicindex.indexer.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dynamicindex.indexer.config.IndexerProperties;

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

    @Test
    void refusesAHostWithUserInfoNamingItsKeyAndNeverItsSecret() {
        IndexerProperties.Elasticsearch settings = new IndexerProperties.Elasticsearch(
                List.of("http://127.0.0.1:9200", "https://elastic:s3cr3t@es.example:9200"), null, null, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(1));

        assertThatThrownBy(() -> new RestClientTransport(settings))
                .hasMessageContaining("dynamic-index.indexer.elasticsearch.hosts[1] carries user-info")
                .hasMessageNotContaining("s3cr3t");
        assertThat(settings.toString()).doesNotContain("s3cr3t").contains("https://(not shown)@es.example:9200");
    }

    private static void run(String... command) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", command[0]).toString();
        command[0] = keytool;
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
