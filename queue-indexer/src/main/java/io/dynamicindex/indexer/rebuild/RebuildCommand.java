package io.dynamicindex.indexer.rebuild;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.Banner;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

import io.dynamicindex.indexer.bulk.RestClientTransport;
import io.dynamicindex.indexer.config.IndexerProperties;
import io.dynamicindex.management.audit.JdbcAuditEventRepository;

/**
 * The rebuild from the command line, for operators who script their operations: the same {@link Rebuilder} as the
 * endpoint, in a Spring context of its own without web server and queue consumers (only DataSource, Flyway, the
 * Elasticsearch client, the daemon's audit trail and the rebuild), reading the indexer's properties files,
 * environment and {@code --property=value} arguments. It runs in the foreground and exits 0 once the alias is
 * switched. An allowed loss ({@code --allow-loss}) is audited in {@code management_audit} as the daemon audits it,
 * with the actor {@code cli:<OS user>}.
 *
 * <pre>
 * java -cp queue-indexer-exec.jar -Dloader.main=io.dynamicindex.indexer.rebuild.RebuildCommand \
 *     org.springframework.boot.loader.launch.PropertiesLauncher --alias=products --settings=/path/products.json
 * ... --alias=products --resume
 * </pre>
 *
 * Exit codes: 0 switched; 1 the rebuild failed (resumable, the reason is printed and in the state row); 2 bad
 * arguments or settings; 3 unknown alias or no rebuild to resume; 4 a rebuild of the alias runs or stands
 * unfinished, or the target index exists.
 */
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, DataSourceAutoConfiguration.class,
        FlywayAutoConfiguration.class, JacksonAutoConfiguration.class})
@EnableConfigurationProperties(IndexerProperties.class)
@Import(RebuildConfiguration.class)
public class RebuildCommand {

    static final String USAGE = "usage: RebuildCommand --alias=NAME (--settings=FILE [--target-index=NAME] [--replace]"
            + " [--allow-loss] | --resume) [--spring.datasource.url=... --dynamic-index.indexer.elasticsearch.hosts=... ...]";

    /** The Elasticsearch client from the indexer's {@code dynamic-index.indexer.elasticsearch.*} settings. */
    @Bean(destroyMethod = "close")
    RestClientTransport elasticsearchTransport(IndexerProperties properties) {
        return new RestClientTransport(properties.elasticsearch());
    }

    /**
     * The daemon's audit trail ({@code management_audit}, under the daemon's {@code spring.application.name}), written
     * directly rather than queued as in the daemon: the command ends right after its one or two events, and a write
     * that fails is logged whole by the caller.
     */
    @Bean
    AuditEventRepository auditEventRepository(DataSource dataSource, Environment environment) {
        return new JdbcAuditEventRepository(dataSource, environment.getProperty("spring.application.name",
                "queue-indexer"));
    }

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = options(args);
        String alias = options.get("alias");
        boolean resume = options.containsKey("resume");
        if (alias == null || resume == options.containsKey("settings")) {
            err.println(USAGE);
            return 2;
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RebuildCommand.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).run(args)) {
            Rebuilder rebuilder = context.getBean(Rebuilder.class);
            Rebuilder.Claim claim = resume ? rebuilder.resume(alias)
                    : rebuilder.start(new RebuildRequest(alias, SettingsFile.read(options.get("settings")),
                    options.get("target-index"), options.containsKey("replace"), options.containsKey("allow-loss"),
                    "cli:" + System.getProperty("user.name")));
            return runClaimed(rebuilder, claim, context.getBean(JsonMapper.class), out, err);
        } catch (RebuildRefusal refusal) {
            err.println("rebuild of " + alias + " refused: " + refusal.getMessage());
            return switch (refusal.kind()) {
                case BAD_INPUT -> 2;
                case UNKNOWN -> 3;
                case CONFLICT -> 4;
            };
        } catch (RuntimeException failure) {
            err.println("rebuild of " + alias + " could not begin: " + failure.getMessage());
            return 1;
        }
    }

    private static int runClaimed(Rebuilder rebuilder, Rebuilder.Claim claim, JsonMapper json, PrintStream out,
                                  PrintStream err) {
        try {
            RebuildState done = rebuilder.run(claim);
            out.println(json.writeValueAsString(RebuildView.of(done, false)));
            return 0;
        } catch (RuntimeException failure) {
            err.println("rebuild of " + claim.alias() + " failed: " + failure.getMessage() + "; it stays resumable "
                    + "where it stood: --alias=" + claim.alias() + " --resume");
            return 1;
        }
    }

    /** The {@code --name=value} and {@code --flag} arguments by name. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        Arrays.stream(args).filter(arg -> arg.startsWith("--")).forEach(arg -> {
            int equals = arg.indexOf('=');
            options.put(equals < 0 ? arg.substring(2) : arg.substring(2, equals),
                    equals < 0 ? "" : arg.substring(equals + 1));
        });
        return options;
    }
}
