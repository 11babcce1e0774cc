package cox.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import cox.torch.StateDict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DJL's parameter names and the torch names {@link ParameterNames#TORCH} gives them. */
@LinuxX64
class ParameterNamesTest {
    @Test
    void torch_nestedSequentialAndBatchNorm_areTorchsKeys() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock()
                    .add(Linear.builder().setUnits(8).build())
                    .add(new SequentialBlock()
                            .add(Linear.builder().setUnits(4).build())
                            .add(BatchNorm.builder().build()))
                    .add(Activation::relu);
            block.setInitializer(Initializer.ONES, Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
            block.forward(new ParameterStore(manager, false), new NDList(manager.ones(new Shape(2, 3))), false);
            List<ModelWeights.Entry> entries = ModelWeights.entries(block);
            // torch.nn.Sequential(Linear(3, 8), Sequential(Linear(8, 4), BatchNorm1d(4)), ReLU()).state_dict(),
            // less BatchNorm1d's num_batches_tracked, which DJL does not keep
            assertThat(entries).extracting(ModelWeights.Entry::torchName).containsExactly("0.weight", "0.bias",
                    "1.0.weight", "1.0.bias", "1.1.weight", "1.1.bias", "1.1.running_mean", "1.1.running_var");
            assertThat(entries).extracting(ModelWeights.Entry::djlName)
                    .containsExactlyElementsOf(block.getParameters().keys());
            StateDict dict = ModelWeights.stateDict(block, ParameterNames.TORCH, n -> n, "here");
            assertThat(dict.get("1.0.weight").shape()).containsExactly(4, 8);
            assertThat(dict.get("1.1.running_var").shape()).containsExactly(4);
            // sum(p.numel() for p in model.parameters()): BatchNorm's running mean and variance are buffers
            assertThat(ModelWeights.parameterCount(block)).isEqualTo(3 * 8 + 8 + 8 * 4 + 4 + 4 + 4);
            // torch counts a frozen parameter (requires_grad=False) too: freezing changes no count
            block.freezeParameters(true);
            assertThat(ModelWeights.parameterCount(block)).isEqualTo(3 * 8 + 8 + 8 * 4 + 4 + 4 + 4);
            block.freezeParameters(false);
            assertThatThrownBy(() -> ModelWeights.stateDict(block, ParameterNames.TORCH, n -> n.substring(0, 1), "here"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("here: DJL parameters '01Linear_weight' and '01Linear_bias' would both be saved as '0'");
        }
    }

    @Test
    void torch_embeddingIsWeight_asInNnEmbedding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock()
                    .add(TrainableWordEmbedding.builder().setVocabulary(new DefaultVocabulary(List.of("a", "b", "c")))
                            .setEmbeddingSize(4).build())
                    .add(Linear.builder().setUnits(2).build());
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 5));
            List<ModelWeights.Entry> entries = ModelWeights.entries(block);
            // torch.nn.Sequential(Embedding(n, 4), Linear(4, 2)).state_dict()
            assertThat(entries).extracting(ModelWeights.Entry::torchName).containsExactly("0.weight", "1.weight", "1.bias");
            assertThat(entries).extracting(ModelWeights.Entry::djlName).containsExactly("01TrainableWordEmbedding_embedding",
                    "02Linear_weight", "02Linear_bias");
            StateDict dict = ModelWeights.stateDict(block, ParameterNames.TORCH, n -> n, "here");
            long rows = block.getChildren().get(0).getValue().getParameters().get("embedding").getArray().getShape().get(0);
            assertThat(dict.get("0.weight").shape()).containsExactly(rows, 4); // nn.Embedding's (num_embeddings, dim)
        }
    }

    @Test
    void withoutPosition_dropsDjlsTwoDigitPrefixOnly() {
        assertThat(ModelWeights.withoutPosition("01encoder")).isEqualTo("encoder");
        assertThat(ModelWeights.withoutPosition("12Linear")).isEqualTo("Linear");
        assertThat(ModelWeights.withoutPosition("1x")).isEqualTo("1x");
        assertThat(ModelWeights.withoutPosition("2024")).isEqualTo("2024");
    }

    @Test
    void uninitializedParameter_isNamed() {
        SequentialBlock block = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        assertThat(ModelWeights.parameterCount(block)).isNull(); // no shapes yet
        assertThatThrownBy(() -> ModelWeights.stateDict(block, ParameterNames.TORCH, n -> n, "table 'checkpoints'"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("table 'checkpoints': DJL parameter '01Linear_weight' has no value yet (call"
                        + " trainer.initialize(shape) before training)");
    }
}
