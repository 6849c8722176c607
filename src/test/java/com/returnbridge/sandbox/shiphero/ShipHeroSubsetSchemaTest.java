package com.returnbridge.sandbox.shiphero;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.AstPrinter;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.TypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The sandbox SDL may leave things out but never invent or change them: then every document valid against the
 * sandbox is valid against the real ShipHero schema (same names, types, nullability; no required piece missing).
 */
class ShipHeroSubsetSchemaTest {

    @Test
    void sandboxSchemaIsATrueSubsetOfTheRealSchema() throws IOException {
        Path dir = Path.of(System.getProperty("shiphero.schema.dir", "../shared/vendors/shiphero-schema"));
        TypeDefinitionRegistry real = new SchemaParser().parse(Files.readString(dir.resolve("schema-2024-09.graphql")));
        TypeDefinitionRegistry subset = new SchemaParser().parse(ShipHeroGraphQl.readSchema());
        List<String> problems = new ArrayList<>();

        subset.scalars().forEach((name, scalar) -> {
            if (!real.scalars().containsKey(name)) {
                problems.add("scalar " + name + " not in the real schema");
            }
        });
        for (TypeDefinition<?> type : subset.types().values()) {
            Optional<TypeDefinition<?>> counterpart = Optional.ofNullable(real.types().get(type.getName()));
            if (counterpart.isEmpty() || counterpart.get().getClass() != type.getClass()) {
                problems.add(type.getName() + ": no " + type.getClass().getSimpleName() + " of that name");
                continue;
            }
            if (type instanceof ObjectTypeDefinition object) {
                compareObject(object, (ObjectTypeDefinition) counterpart.get(), problems);
            } else if (type instanceof InputObjectTypeDefinition input) {
                compareInputs(type.getName(), input.getInputValueDefinitions(),
                        ((InputObjectTypeDefinition) counterpart.get()).getInputValueDefinitions(), problems);
            } else if (type instanceof EnumTypeDefinition enumType) {
                List<String> realValues = ((EnumTypeDefinition) counterpart.get()).getEnumValueDefinitions().stream()
                        .map(EnumValueDefinition::getName).toList();
                enumType.getEnumValueDefinitions().stream().map(EnumValueDefinition::getName)
                        .filter(v -> !realValues.contains(v))
                        .forEach(v -> problems.add(type.getName() + "." + v + ": no such enum value"));
            } else if (!(type instanceof ScalarTypeDefinition)) {
                problems.add(type.getName() + ": unexpected kind " + type.getClass().getSimpleName());
            }
        }
        assertThat(subset.types()).containsKeys("Query", "Mutation", "Return", "Order", "CreateReturnInput");
        assertThat(problems).isEmpty();
    }

    private static void compareObject(ObjectTypeDefinition mine, ObjectTypeDefinition real, List<String> problems) {
        Map<String, FieldDefinition> realFields = real.getFieldDefinitions().stream()
                .collect(Collectors.toMap(FieldDefinition::getName, Function.identity()));
        for (FieldDefinition field : mine.getFieldDefinitions()) {
            String where = mine.getName() + "." + field.getName();
            FieldDefinition realField = realFields.get(field.getName());
            if (realField == null) {
                problems.add(where + ": no such field");
                continue;
            }
            if (!print(field.getType()).equals(print(realField.getType()))) {
                problems.add(where + ": type " + print(field.getType()) + " vs " + print(realField.getType()));
            }
            compareInputs(where, field.getInputValueDefinitions(), realField.getInputValueDefinitions(), problems);
        }
    }

    /** Arguments or input fields: each must exist with the same type, and none the real one requires may be missing. */
    private static void compareInputs(String where, List<InputValueDefinition> mine, List<InputValueDefinition> real,
            List<String> problems) {
        Map<String, InputValueDefinition> realByName = real.stream()
                .collect(Collectors.toMap(InputValueDefinition::getName, Function.identity()));
        for (InputValueDefinition value : mine) {
            InputValueDefinition counterpart = realByName.get(value.getName());
            if (counterpart == null) {
                problems.add(where + "(" + value.getName() + "): not in the real schema");
            } else if (!print(value.getType()).equals(print(counterpart.getType()))) {
                problems.add(where + "(" + value.getName() + "): type " + print(value.getType()) + " vs "
                        + print(counterpart.getType()));
            }
        }
        List<String> mineNames = mine.stream().map(InputValueDefinition::getName).toList();
        real.stream()
                .filter(v -> v.getType() instanceof NonNullType && v.getDefaultValue() == null)
                .filter(v -> !mineNames.contains(v.getName()))
                .forEach(v -> problems.add(where + "(" + v.getName() + "): required in the real schema, missing"));
    }

    private static String print(graphql.language.Type<?> type) {
        return AstPrinter.printAst(type);
    }
}
