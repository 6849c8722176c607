package com.returnbridge.shiphero;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Every GraphQL document the project sends must validate against ShipHero's published schema, which lives outside
 * the repository: its folder comes from the system property {@code shiphero.schema.dir} (set by the build).
 */
class GraphQlSchemaContractTest {

    private static GraphQLSchema shipHero;

    @BeforeAll
    static void loadShipHeroSchema() throws IOException {
        Path dir = Path.of(System.getProperty("shiphero.schema.dir", "../shared/vendors/shiphero-schema"));
        Path sdl = dir.resolve("schema-2024-09.graphql");
        assertThat(sdl).as("ShipHero schema (set -Dshiphero.schema.dir)").exists();
        TypeDefinitionRegistry types = new SchemaParser().parse(Files.readString(sdl));
        shipHero = new SchemaGenerator().makeExecutableSchema(types, RuntimeWiring.MOCKED_WIRING);
    }

    static List<String> documents() throws IOException {
        Resource[] found = new PathMatchingResourcePatternResolver().getResources("classpath*:shiphero/*.graphql");
        return java.util.Arrays.stream(found).map(Resource::getFilename).sorted().toList();
    }

    @Test
    void everyDocumentTheClientUsesIsAFile() throws IOException {
        assertThat(documents()).containsAll(GraphQlDocuments.resources().stream()
                .map(r -> r.substring(r.lastIndexOf('/') + 1)).toList());
    }

    @ParameterizedTest
    @MethodSource("documents")
    void validatesAgainstShipHerosSchema(String file) throws IOException {
        String text;
        try (var in = getClass().getClassLoader().getResourceAsStream("shiphero/" + file)) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<ValidationError> errors = new Validator().validateDocument(shipHero, Parser.parse(text), Locale.ENGLISH);
        assertThat(errors).as(file).isEmpty();
    }

    @Test
    void aDocumentThatDoesNotMatchTheSchemaFails() {
        String wrong = "mutation { return_create(data: {order_id: \"1\"}) { request_id return { tracking_number } } }";
        assertThat(new Validator().validateDocument(shipHero, Parser.parse(wrong), Locale.ENGLISH)).isNotEmpty();
    }
}
