package io.dynamicindex.indexer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The indexer daemon. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class QueueIndexerApplication {

    public static void main(String[] args) {
        SpringApplication.run(QueueIndexerApplication.class, args);
    }
}
