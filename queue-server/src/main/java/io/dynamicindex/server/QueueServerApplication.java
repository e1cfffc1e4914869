package io.dynamicindex.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The partner HTTP API daemon. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class QueueServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(QueueServerApplication.class, args);
    }
}
