<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>wemoe::Error</name>
    <message>
        <source>is a folder; a file cannot be written in its place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>written after it was committed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already exists (another program wrote it meanwhile); it is not replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot move into place: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not found (a Hugging Face model folder holds config.json beside its weights)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is neither a model folder nor a weights file (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mixes vision tensor names with and without the &quot;vision_model.&quot; prefix (tensor &apos;%1&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vision tensor &apos;%1&apos; is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tensor &apos;%1&apos; has shape %2, but config.json implies %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tensor &apos;%1&apos; has dtype %2, expected a floating-point dtype</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected vision tensor &apos;%1&apos; (not part of a CLIP vision model with this config.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, and as a Hugging Face dataset: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no Parquet files of the split &apos;%1&apos; in %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it holds no .parquet files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>splits there: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the split &apos;%1&apos; has files in %2 folders of %3 (%4): name the folder of the one to use as a path instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a data path is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file or folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file or folder (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not test data: expected an image folder (&lt;root&gt;/&lt;class name&gt;/&lt;images&gt;), a .parquet file, a folder of them, or ORG/NAME:SPLIT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a list of data files is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a list of data files may only name .parquet files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a Hugging Face hub name (ORG/NAME or ORG/NAME@REVISION)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a model path is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, and as a Hugging Face hub name it is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1lacks &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&quot;%2&quot; must be a non-empty string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%2 %3 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%2 %3 is not a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%2 %3 is not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&quot;%2&quot; must be a path, ORG/NAME:SPLIT or a list of .parquet files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%2 must hold strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%2 must be an array of strings or the name of a text file (one per line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1head must be a file name or {&quot;zero_shot&quot;: {&quot;classes&quot;: ..., &quot;templates&quot;: ...}}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1zero_shot has an unknown key &quot;%2&quot; (known: classes, templates)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1zero_shot: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>normalization &quot;%1&quot; must be an array of 3 numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>normalization &quot;%1&quot; must be an array of 3 numbers in [%2, %3]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;name&quot; must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;normalization&quot; must be an object with &quot;mean&quot; and &quot;std&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;tasks&quot; must be an array of tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task %1 is not an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task name &apos;%1&apos; appears twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is %1, not a regular file; it is not read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is %1, more than the %2 a file of this kind may be; it is not read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grew past %1 while being read; it is not read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is not a folder name to export into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the folder to export into does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is not a folder, so nothing can be exported into it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is a symbolic link; it is not replaced (export into the folder it points to, or remove the link)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already exists (allow overwriting or choose another folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already exists and is not a folder; it is not replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 &apos;%2&apos; does not stay inside %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder (does %1 appear twice?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot move the exported folder into place: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already exists (another run wrote it meanwhile); it is not replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now exists and is not a folder; it is not replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot move the existing folder aside to replace it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot move the exported folder into place from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write: the folder %1 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot find a free name beside it to write into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the test data (%2) name no classes: give &quot;classes&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pool has no tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>head of task &apos;%1&apos; takes %2 features, but the model outputs %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>image folder not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a folder (expected &lt;root&gt;/&lt;class name&gt;/&lt;image files&gt;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no class sub-folders (expected &lt;root&gt;/&lt;class name&gt;/&lt;image files&gt;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the class name &apos;%1&apos; appears twice in the head&apos;s classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>class folders do not match the head&apos;s %1 classes (%2 folders): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no images in any class folder (extensions: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>class folder holds no images (extensions: %1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::MethodCatalogue</name>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distance between two λ of the sweep.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First λ of the sweep.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last λ of the sweep (included).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scaling factor λ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much of the merged task vectors is added to θ0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIES top-k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of each task vector&apos;s entries TIES keeps, by magnitude (k=20 and k=0.2 both mean 20 %).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIES merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How TIES combines the entries that agree with the elected sign: sum (FusionBench), mean (the TIES paper) or the largest magnitude.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-k per tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count the top-k within each tensor (mergekit&apos;s way) instead of over the whole task vector (the TIES paper and FusionBench).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop rate p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability that DARE drops each task-vector entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rescale survivors by 1/(1−p)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeps each task vector&apos;s expected value after dropping.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed of DARE&apos;s random drop mask; a seed gives the same model on every machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task arithmetic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Then</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What merges the sparsified task vectors: task arithmetic or TIES (with the TIES parameters below).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adam steps of the entropy minimisation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adam&apos;s learning rate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch per task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlabeled test images per task in each step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed of the batch order (and of WEMoE&apos;s router init).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initial λ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The λ every coefficient starts from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch-reduced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2: Linear → ReLU → Linear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1: Linear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0: a learned bias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Router depth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2: Linear(D,D) → ReLU → Linear(D,T); 1: Linear(D,T); 0: one learned weight per task.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Router initial λ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The routers&apos; last bias: at step 0 the model is close to task arithmetic with this λ (equal to it for depth 0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ outside the MLPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task arithmetic&apos;s λ for every tensor but the MLPs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing when the model is evaluated. Per sample: every image gets its own merged MLPs (the paper&apos;s). Batch-reduced: the weights averaged over the batch, cheaper but no longer per image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing while adapting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing during the test-time adaptation (per sample is the paper&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bfloat16 task vectors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the MLP task vectors in bfloat16: half the memory, rounded weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diversity weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0: the paper&apos;s objective. Above 0, each task&apos;s loss also rewards spreading its batch over its classes by this weight, so adaptation cannot pay off by predicting one class for a whole task; it assumes the classes are roughly balanced. 1 or 2 is a good start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretrained (zero-shot)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pretrained model θ0 alone on every task: the lower bound a merge should beat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Individual fine-tuned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each task&apos;s own fine-tuned model on its own task: the upper bound, and the reference of the normalized column. Not one model, so it cannot be exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simple average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>θ = mean of the fine-tuned models θ1..θT. No parameters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task arithmetic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>θ = θ0 + λ Σt τt with task vectors τt = θt − θ0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIES merging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trim every task vector to its top-k entries by magnitude, elect a sign per entry, merge the entries that agree with it, then θ = θ0 + λ·merged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DARE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop each task-vector entry with probability p, rescale the survivors by 1/(1−p), then task arithmetic or TIES.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdaMerging, task-wise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>θ = θ0 + Σt λt τt with one λ per task, learned by minimising the prediction entropy on unlabeled test images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdaMerging, layer-wise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One λ per task and tensor, learned the same way; the stronger variant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEMoE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight-ensembling mixture of experts: every block&apos;s MLP becomes θ0&apos;s MLP plus the task vectors&apos; MLPs weighted per image by a router trained at test time on unlabeled images; everything else is task arithmetic. Its routing weights fill the routing views.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU threads for LibTorch and image decoding; 0 uses all cores.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluation batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images per evaluation batch: larger is faster until memory runs out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test images per task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most this many test images per task, a seeded random subset, for quick runs; 0 uses them all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task-vector keep ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of each MLP task-vector tensor kept, by magnitude; the rest is pruned and the kept entries stored sparse (keep=10 and keep=0.1 both mean 10 %, the reference&apos;s prune ratio 0.9).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shared by all blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one per block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared: one router serves every block, each block feeding it its own MLP input (the reference&apos;s). Per block: one router per block, as WEMoE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-WEMoE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Efficient WEMoE: WEMoE with every MLP task vector pruned by magnitude and stored sparse, and one router shared by all blocks; far less memory, routing and adaptation as WEMoE.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::WorkOutcome</name>
    <message>
        <source>LibTorch: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::AccuracyPanel</name>
    <message>
        <source>Click a column header to sort. Bold cells are the best merge of each column (the individual models are the reference, not a merge).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected cells (or the whole table as Markdown) to the clipboard (Ctrl+C).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export table…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the table as CSV, Markdown or JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a pool, choose methods and press Run (F5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n task(s). Press Run (F5) to measure the checked methods.</source>
        <translation>
            <numerusform>%n task. Press Run (F5) to measure the checked methods.</numerusform>
            <numerusform>%n tasks. Press Run (F5) to measure the checked methods.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n method(s) measured.</source>
        <translation>
            <numerusform>%n method measured.</numerusform>
            <numerusform>%n methods measured.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n method(s) measured; best average: %1 (%2 %).</source>
        <translation>
            <numerusform>%n method measured; best average: %1 (%2 %).</numerusform>
            <numerusform>%n methods measured; best average: %1 (%2 %).</numerusform>
        </translation>
    </message>
    <message>
        <source>Export table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The table is empty: run some methods first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV table (*.csv);;Markdown table (*.md);;JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the model of “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::AccuracyTableModel</name>
    <message>
        <source>Each task&apos;s own fine-tuned model: the reference the merges are measured against.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing mode of the evaluation that produced this row.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A static merge: one model for every image, no routing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2: %3 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best in this column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normalized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean accuracy over the tasks (%).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean over the tasks of accuracy divided by the individual model&apos;s accuracy on that task (%).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-1 accuracy on the test images of task %1 (%).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
(%)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::AdaptationController</name>
    <message numerus="yes">
        <source>Adapt and evaluate %1 (%n step(s))</source>
        <translation>
            <numerusform>Adapt and evaluate %1 (%n step)</numerusform>
            <numerusform>Adapt and evaluate %1 (%n steps)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (stopped at step %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not adapt at test time</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::CoefficientPanel</name>
    <message>
        <source>Run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The AdaMerging run whose learned λ are shown, or a saved coefficient file. The newest is shown as runs finish, until you pick another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open coefficients…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the λ saved beside an exported AdaMerging model (adamerging-coefficients.json). Dropping the file on the window, or File ▸ Open, does the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean per block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One row per parameter tensor, as layer-wise AdaMerging learns them, or the mean λ of each transformer block&apos;s tensors (the tooltip and the exported CSV name every row in full).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deviation from λ₀</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ (its range in the map)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deviation from the row&apos;s mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the colours measure: how far each λ moved from the initial λ₀ it was learned from (white: not at all), λ itself from the smallest to the largest shown, or how far each task&apos;s λ is from the mean over the tasks of its row (which task a tensor leans to). Cells show λ either way. A saved file does not record λ₀: it is shown on its range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The merging coefficients λ appear here after an AdaMerging run, or open an exported model&apos;s adamerging-coefficients.json (File ▸ Open, or drop it on the window).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learned merging coefficients λ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdaMerging merges θ = θ₀ + Σₜ λₜ τₜ and learns the λ by minimising the prediction entropy on unlabeled test images: one λ per task (task-wise, a single row &quot;all&quot;), or one per task and parameter tensor (layer-wise).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>task-wise: one λ for each of %n task(s)</source>
        <translation>
            <numerusform>task-wise: one λ for %n task</numerusform>
            <numerusform>task-wise: one λ for each of %n tasks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>layer-wise: %1 tensors × %n task(s)</source>
        <translation>
            <numerusform>layer-wise: %1 tensors × %n task</numerusform>
            <numerusform>layer-wise: %1 tensors × %n tasks</numerusform>
        </translation>
    </message>
    <message>
        <source>Learned by this session&apos;s run %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read from %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::CoefficientTable</name>
    <message>
        <source>layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean λ</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ComputeEnvironment</name>
    <message>
        <source>CPU (%1 threads)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA device %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::DemoZooEstimate</name>
    <message numerus="yes">
        <source>about %n s</source>
        <translation>
            <numerusform>about %n s</numerusform>
            <numerusform>about %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n min</source>
        <translation>
            <numerusform>about %n min</numerusform>
            <numerusform>about %n min</numerusform>
        </translation>
    </message>
    <message>
        <source>Ready: it was built earlier and opens at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Builds first (once): %1 on this machine (last build).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Builds first (once): %1, as measured on two cores.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>~%n s</source>
        <translation>
            <numerusform>~%n s</numerusform>
            <numerusform>~%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>~%n min</source>
        <translation>
            <numerusform>~%n min</numerusform>
            <numerusform>~%n min</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wemoe::ui::EvaluationController</name>
    <message>
        <source>A result measured on another pool was dropped (the pool changed while it ran).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing to run: check at least one method, the λ sweep or the task-vector analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ sweep of %1 (%2 points)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sweep point measured on another pool was dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task-vector similarity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cosine similarity of task vectors</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ExportController</name>
    <message>
        <source>&apos;individual&apos; is one model per task, not a merge: there is no single model to export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: no folder chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: this result&apos;s model is not held in memory (it comes from a saved session); run the method again to export it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: no target chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: a WEMoE model is written as a WEMoE model file or as collapsed per-task models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: AdaMerging&apos;s model is one merged model (a Hugging Face folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the WEMoE model %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export %1 collapsed per task to %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ExportDialog</name>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as the pretrained checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a file, not a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to write: the merged model of a finished method (a Hugging Face folder), the WEMoE model with its routers (one .safetensors file the studio and the command line reload), or WEMoE collapsed into one plain model per task (each block&apos;s MLP merged at the routing weights averaged over that task&apos;s test images). Default: the selected row.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to write: a folder (merged and collapsed models) or a .safetensors file (the WEMoE model). It is assembled beside this path and moved into place when complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage type of the written weights of Hugging Face folders. Default: the pretrained checkpoint&apos;s. A WEMoE model file keeps the model&apos;s own types.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — merged model (Hugging Face folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — WEMoE model with routers (.safetensors file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — collapsed, one Hugging Face folder per task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the WEMoE model to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEMoE model (*.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where to export to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a folder; a WEMoE model is written as one file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::HeatmapWidget</name>
    <message>
        <source>No data yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 − %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 − its %2&apos;s mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2: %3 (%4%5 from the centre)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ImageRoutingPanel</name>
    <message>
        <source>The task whose test images are listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test images of the task: true label / predicted label; red when the prediction is wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per-image routing weights appear here after a WEMoE run: pick an image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
true: %2, predicted: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: true %1, predicted %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image %1 of %2 in task %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::Job</name>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::JobListModel</name>
    <message>
        <source>%1 elapsed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::JobStatusBar</name>
    <message>
        <source>Where jobs run and with how many threads (Methods panel, Compute).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory this process holds (resident set size).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Device: %1 · %n thread(s)</source>
        <translation>
            <numerusform>Device: %1 · %n thread</numerusform>
            <numerusform>Device: %1 · %n threads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) queued</source>
        <translation>
            <numerusform>%n job queued</numerusform>
            <numerusform>%n jobs queued</numerusform>
        </translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>(+%n queued)</source>
        <translation>
            <numerusform>(+%n queued)</numerusform>
            <numerusform>(+%n queued)</numerusform>
        </translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1 — show in the log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::JobsPanel</name>
    <message>
        <source>Cancel selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the selected jobs. A running job stops at its next unit of work; results finished before stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running job and drop the queued ones (Esc).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled jobs from the list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::LinePlotWidget</name>
    <message>
        <source>Show all the data (double-click, Home)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logarithmic y axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show every series</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::LogPanel</name>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the log as a text file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text files (*.log *.txt)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::LossCurvePlot</name>
    <message>
        <source>The test-time adaptation loss of AdaMerging and WEMoE appears here while they adapt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>total loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entropy loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entropy loss (smoothed)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::MainWindow</name>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy of every method on every task, with the average and the normalized accuracy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy against the scaling factor λ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task vectors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How similar the tasks&apos; weight changes are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEMoE&apos;s routing weights per layer and expert, and the adaptation curve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One test image at a time with its predicted label and routing weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the pool, the settings and every finished result (Ctrl+S).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save session &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About WEMoE Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Methods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Pool loaded: %1 (%n task(s))</source>
        <translation>
            <numerusform>Pool loaded: %1 (%n task)</numerusform>
            <numerusform>Pool loaded: %1 (%n tasks)</numerusform>
        </translation>
    </message>
    <message>
        <source>Task %1 cannot be evaluated: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved method settings ignored: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to run on</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Queued %n job(s).</source>
        <translation>
            <numerusform>Queued %n job.</numerusform>
            <numerusform>Queued %n jobs.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel requested: the running job stops at its next unit of work.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEMoE Studio sessions (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the pool these results were measured on first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About WEMoE Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs are running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quitting once the running job has stopped…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping the running job…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds neither a pool (pool.json) nor a model (config.json).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the merged model of a finished method as a Hugging Face folder, the WEMoE model with its routers, or WEMoE collapsed per task (Ctrl+E).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge, adapt and evaluate the checked methods on the open pool (F5). Jobs queue and run one at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot show the routing weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quick recipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>standard recipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run a method first: the merged model of any finished static method or AdaMerging, and the WEMoE model, can be exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has no model to export (individual models are one per task; results of a reopened session are numbers, not models).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;WEMoE Studio %1&lt;/h3&gt;&lt;p&gt;Merges fine-tuned CLIP vision transformers into one multi-task model: simple averaging, task arithmetic, TIES and DARE, AdaMerging, and weight-ensembling mixtures of experts (WEMoE, Tang et al., ICML 2024) whose routing can be browsed per layer and per image.&lt;/p&gt;&lt;p&gt;Qt %2 · LibTorch · OpenCV · QCustomPlot&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running job and drop the queued ones (Esc, outside text and number fields). Asks first when the job has run for more than 30 s. Finished results stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the running job?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; has run for %2. Cancelling stops it and drops the queued jobs; results finished so far stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results have finished since the session was last saved. Save them before you %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore unsaved results?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last session ended with results that were not saved. Restore them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot restore the unsaved results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open another pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the running and queued jobs and quit? Results finished so far can be saved before the window closes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export of %1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open another session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import a FusionBench pool…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a FusionBench CLIP model-pool YAML: its models are found in the Hugging Face cache, its test images in a data folder beside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put the panels back where they were at the first start, at their first sizes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo zoo could not be prepared: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be opened: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the demo zoo was cancelled; nothing was kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1 was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the &amp;quick demo (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the &amp;full demo (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quick demo zoo: a tiny CLIP-layout model fine-tuned briefly on eight small datasets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The full demo zoo: the same eight tasks with more images and longer training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo zoo (%1): %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the demo zoo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the %1 demo zoo first: %2 Progress is in the Jobs panel; Esc cancels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quick</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model pool first (File ▸ Open…, Ctrl+O), or the demo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Accuracies are measured on a seeded subset of at most %n test image(s) per task.</source>
        <translation>
            <numerusform>Accuracies are measured on a seeded subset of at most %n test image per task.</numerusform>
            <numerusform>Accuracies are measured on a seeded subset of at most %n test images per task.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a pool or a session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a FusionBench model pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FusionBench model pools (*.yaml *.yml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model pool (pool.json, or a FusionBench model-pool YAML), a saved session with its pool, settings and results, or the λ saved beside an exported AdaMerging model (Ctrl+O). You can also drop a pool file or folder, a session, a model folder or its adamerging-coefficients.json on the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learned λ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The merging coefficients AdaMerging learned, per tensor (or block) and task.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pools, sessions and AdaMerging coefficients (*.json *.yaml *.yml);;FusionBench pools (*.yaml *.yml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open AdaMerging coefficients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdaMerging coefficients (adamerging-coefficients.json *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdaMerging coefficients of %1 are on the “Learned λ” page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the AdaMerging coefficients</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::MethodsPanel</name>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task-vector similarity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cosine similarity between the task vectors θt − θ0: vectors that point apart interfere when merged. One quick pass over the weights. Default on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test-time adaptation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where merging and evaluation run: the CPU or a CUDA device. Default CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all cores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Methods that learn on the pool&apos;s unlabeled test images before they are evaluated. Each runs as one job; its loss appears live on the Routing tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The references and the static merges: each checked method is one row of the accuracy table. Its parameters show while it is checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluate one method for every λ from..to by step and plot accuracy against λ, one line per task plus the average.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The method whose λ is swept; its other parameters are the ones set for it under Merges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Default: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merges that learn from data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merges computed from a few images of each task (the pool&apos;s train_data, or its test images when allowed), without labels. Each checked method is one row of the accuracy table.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ParameterControl</name>
    <message>
        <source>%1 Default: %2. Command line: %3=…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes %1 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes a whole number from 0 to 18446744073709551615.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::PlotWidget</name>
    <message>
        <source>Export image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export plot data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export image (PNG, PDF, SVG)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export data (CSV)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Save this plot as a PNG, PDF or SVG file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Save the plotted numbers as a CSV table.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::RecentFiles</name>
    <message>
        <source>Clear list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This file is not there any more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A saved session: its pool, settings and results.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A model pool.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::RoutingCapture</name>
    <message>
        <source>layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean routing weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>routing weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>share routed first to the own expert</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::RoutingPanel</name>
    <message>
        <source>The task whose test images the routing weights are averaged over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing weights appear here after a WEMoE run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first-choice matrix appears here after a WEMoE run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean routing weight per layer and expert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First choice: share of a task&apos;s images routed first to its own expert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows: tasks; columns: layers. 1/experts means no preference; 1 means every image of the task picks its own task vector first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adaptation loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entropy loss of the test-time adaptation against the step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message>
        <source>The accuracy-table row whose evaluation recorded these routing weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routing of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deviation from λ₀</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value (centred on 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deviation from the layer&apos;s mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the colours of the routing-weight map measure: each weight&apos;s distance from the routers&apos; initial λ (λ₀), its value, or its distance from its layer&apos;s mean. Cells show the weights themselves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows: transformer blocks; columns: experts (task vectors). Cells: the router&apos;s weight averaged over tokens and over the selected task&apos;s images. Colour: its distance from the chosen centre (by default the routers&apos; initial λ), blue below, white at it, red above, on a scale spanning the data&apos;s own range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smooths the loss curves by an exponential moving average: 0 shows the raw losses, 0.99 the slowest trend. The exported data stay raw.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smoothing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The adaptation runs whose loss is plotted. One run shows its total and each task&apos;s loss; several are overlaid, each run&apos;s total in its own colour. The newest run is shown while it adapts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::RunPicker</name>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newest only (follows new runs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::StartPage</name>
    <message>
        <source>WEMoE Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merges fine-tuned copies of one CLIP vision transformer into one model that serves all their tasks, compares the merging methods task by task, and shows how WEMoE routes every image. Start with the demo: it needs no download.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a pool or session…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A pool file (pool.json, or a folder holding one) or a saved session (Ctrl+O). Files and folders can also be dropped on the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a FusionBench pool…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A FusionBench CLIP model-pool YAML: its models are found in the Hugging Face cache, its test images in a data folder beside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the demo (quick zoo, %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tiny CLIP-layout model fine-tuned on eight small datasets, trained briefly: every method and view to try. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the full demo (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same eight tasks with more images and longer training: clearer differences between the methods. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None yet: the pools you open are listed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None yet: sessions you save or open are listed here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::StudioApp</name>
    <message>
        <source>WEMoE Studio: merge fine-tuned CLIP vision transformers and see how they merge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wemoe-studio: expected at most one pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A model pool file (JSON, or a FusionBench model-pool YAML; or a folder holding pool.json), or a saved session, to open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the demo zoo (a tiny model fine-tuned on eight small datasets; built once, with progress, into the cache folder: about %1 min on two cores).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --demo or --screenshot: use the quick demo zoo (smaller; the first time it is built, in about %1 s on two cores).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the methods as last set (Run, F5) once POOL or the demo zoo is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wemoe-studio: --run needs a POOL or --demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open POOL (or the demo zoo), run the configured jobs, WEMoE and layer-wise AdaMerging, write PNG screenshots of the main views into DIR and exit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::StudioSession</name>
    <message>
        <source>Session saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The session&apos;s pool %1 is not there: its results are shown, but nothing can be rerun or exported until a pool is opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot autosave the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::SweepPanel</name>
    <message numerus="yes">
        <source>%1 — partial (%n point(s))</source>
        <translation>
            <numerusform>%1 — partial (%n point)</numerusform>
            <numerusform>%1 — partial (%n points)</numerusform>
        </translation>
    </message>
    <message>
        <source>Sweeps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The λ sweeps to show. One sweep shows each task&apos;s accuracy and the average; several are compared on one axis by their average accuracy, each in its own colour. The newest sweep is shown while it is measured.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::SweepPlot</name>
    <message>
        <source>Accuracy against the scaling factor λ appears here once a λ sweep has measured its first point.
Check &quot;λ sweep&quot; in the methods panel and press Run (F5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scaling factor λ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>best average: λ=%1 (%2 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>average accuracy over the tasks (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>λ sweeps</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::TaskVectorPanel</name>
    <message>
        <source>The cosine similarity of the task vectors appears here after a run with &quot;Task-vector similarity&quot; checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cosine similarity of the task vectors τt = θt − θ0. Near 0: the tasks changed different directions of the weights; negative: they pulled against each other, which is what merging has to reconcile.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::WorkspaceController</name>
    <message>
        <source>Load pool %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspect model %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same architecture as the pool&apos;s pretrained model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepare the quick demo zoo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepare the demo zoo</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>wemoe::ui::WorkspacePanel</name>
    <message>
        <source>%1 M parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No pool open. Open a pool file (Ctrl+O) or drop one on the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Right-click an item to copy its path or open its folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2, %3 tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n task(s)</source>
        <translation>
            <numerusform>%n task</numerusform>
            <numerusform>%n tasks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s) while loading: see the log</source>
        <translation>
            <numerusform>%n warning while loading: see the log</numerusform>
            <numerusform>%n warnings while loading: see the log</numerusform>
        </translation>
    </message>
    <message>
        <source>pretrained</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n class(es)</source>
        <translation>
            <numerusform>%n class</numerusform>
            <numerusform>%n classes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n test image(s)</source>
        <translation>
            <numerusform>%n test image</numerusform>
            <numerusform>%n test images</numerusform>
        </translation>
    </message>
    <message>
        <source>checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>head</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 head, %n class(es)</source>
        <translation>
            <numerusform>%1 head, %n class</numerusform>
            <numerusform>%1 head, %n classes</numerusform>
        </translation>
    </message>
    <message>
        <source>test images</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message>
        <source>inspected models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model folders dropped on the window, compared with the pool&apos;s pretrained model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Parquet, %n file(s)</source>
        <translation>
            <numerusform>Parquet, %n file</numerusform>
            <numerusform>Parquet, %n files</numerusform>
        </translation>
    </message>
    <message>
        <source>image folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n class(es):</source>
        <translation>
            <numerusform>%n class:</numerusform>
            <numerusform>%n classes:</numerusform>
        </translation>
    </message>
    <message>
        <source>training images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>problem</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
