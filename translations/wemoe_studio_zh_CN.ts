<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>wemoe::Error</name>
    <message>
        <source>is a folder; a file cannot be written in its place</source>
        <translation>是一个文件夹；不能在其位置写入文件</translation>
    </message>
    <message>
        <source>cannot write: %1</source>
        <translation>无法写入：%1</translation>
    </message>
    <message>
        <source>written after it was committed</source>
        <translation>在提交之后又被写入</translation>
    </message>
    <message>
        <source>already exists (another program wrote it meanwhile); it is not replaced</source>
        <translation>已存在（其间被另一个程序写入）；不予替换</translation>
    </message>
    <message>
        <source>cannot move into place: %1</source>
        <translation>无法移动到目标位置：%1</translation>
    </message>
    <message>
        <source>not found (a Hugging Face model folder holds config.json beside its weights)</source>
        <translation>未找到（Hugging Face 模型文件夹中，config.json 与权重文件放在一起）</translation>
    </message>
    <message>
        <source>does not exist</source>
        <translation>不存在</translation>
    </message>
    <message>
        <source>is neither a model folder nor a weights file (%1)</source>
        <translation>既不是模型文件夹，也不是权重文件（%1）</translation>
    </message>
    <message>
        <source>mixes vision tensor names with and without the &quot;vision_model.&quot; prefix (tensor &apos;%1&apos;)</source>
        <translation>视觉张量名称中混有带和不带“vision_model.”前缀的名称（张量“%1”）</translation>
    </message>
    <message>
        <source>vision tensor &apos;%1&apos; is missing</source>
        <translation>缺少视觉张量“%1”</translation>
    </message>
    <message>
        <source>tensor &apos;%1&apos; has shape %2, but config.json implies %3</source>
        <translation>张量“%1”的形状为 %2，但 config.json 要求 %3</translation>
    </message>
    <message>
        <source>tensor &apos;%1&apos; has dtype %2, expected a floating-point dtype</source>
        <translation>张量“%1”的数据类型为 %2，应为浮点类型</translation>
    </message>
    <message>
        <source>unexpected vision tensor &apos;%1&apos; (not part of a CLIP vision model with this config.json)</source>
        <translation>意外的视觉张量“%1”（不属于此 config.json 描述的 CLIP 视觉模型）</translation>
    </message>
    <message>
        <source>%1, and as a Hugging Face dataset: %2</source>
        <translation>%1；作为 Hugging Face 数据集：%2</translation>
    </message>
    <message>
        <source>no Parquet files of the split &apos;%1&apos; in %2 (%3)</source>
        <translation>%2 中没有划分“%1”的 Parquet 文件（%3）</translation>
    </message>
    <message>
        <source>it holds no .parquet files</source>
        <translation>其中没有 .parquet 文件</translation>
    </message>
    <message>
        <source>splits there: %1</source>
        <translation>现有的划分：%1</translation>
    </message>
    <message>
        <source>the split &apos;%1&apos; has files in %2 folders of %3 (%4): name the folder of the one to use as a path instead</source>
        <translation>划分“%1”在 %3 的 %2 个文件夹中都有文件（%4）：请改为以路径指明要使用的那个文件夹</translation>
    </message>
    <message>
        <source>a data path is empty</source>
        <translation>数据路径为空</translation>
    </message>
    <message>
        <source>no such file or folder</source>
        <translation>没有这个文件或文件夹</translation>
    </message>
    <message>
        <source>no such file or folder (%1)</source>
        <translation>没有这个文件或文件夹（%1）</translation>
    </message>
    <message>
        <source>not test data: expected an image folder (&lt;root&gt;/&lt;class name&gt;/&lt;images&gt;), a .parquet file, a folder of them, or ORG/NAME:SPLIT</source>
        <translation>不是测试数据：应为图像文件夹（&lt;根目录&gt;/&lt;类别名&gt;/&lt;图像&gt;）、.parquet 文件、存放它们的文件夹，或 ORG/NAME:SPLIT</translation>
    </message>
    <message>
        <source>a list of data files is empty</source>
        <translation>数据文件列表为空</translation>
    </message>
    <message>
        <source>no such file (%1)</source>
        <translation>没有这个文件（%1）</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>没有这个文件</translation>
    </message>
    <message>
        <source>a list of data files may only name .parquet files</source>
        <translation>数据文件列表只能列出 .parquet 文件</translation>
    </message>
    <message>
        <source>not a Hugging Face hub name (ORG/NAME or ORG/NAME@REVISION)</source>
        <translation>不是 Hugging Face Hub 名称（ORG/NAME 或 ORG/NAME@REVISION）</translation>
    </message>
    <message>
        <source>a model path is empty</source>
        <translation>模型路径为空</translation>
    </message>
    <message>
        <source>%1, and as a Hugging Face hub name it is %2</source>
        <translation>%1；作为 Hugging Face Hub 名称：%2</translation>
    </message>
    <message>
        <source>%1lacks &quot;%2&quot;</source>
        <translation>%1缺少“%2”</translation>
    </message>
    <message>
        <source>%1&quot;%2&quot; must be a non-empty string</source>
        <translation>%1“%2”必须是非空字符串</translation>
    </message>
    <message>
        <source>%1%2 %3 does not exist</source>
        <translation>%1%2 %3 不存在</translation>
    </message>
    <message>
        <source>%1%2 %3 is not a folder</source>
        <translation>%1%2 %3 不是文件夹</translation>
    </message>
    <message>
        <source>%1%2 %3 is not a file</source>
        <translation>%1%2 %3 不是文件</translation>
    </message>
    <message>
        <source>%1&quot;%2&quot; must be a path, ORG/NAME:SPLIT or a list of .parquet files</source>
        <translation>%1“%2”必须是路径、ORG/NAME:SPLIT 或 .parquet 文件列表</translation>
    </message>
    <message>
        <source>%1%2: %3</source>
        <translation>%1%2：%3</translation>
    </message>
    <message>
        <source>%1%2 must hold strings</source>
        <translation>%1%2 只能包含字符串</translation>
    </message>
    <message>
        <source>%1%2 must be an array of strings or the name of a text file (one per line)</source>
        <translation>%1%2 必须是字符串数组，或文本文件名（每行一个）</translation>
    </message>
    <message>
        <source>%1head must be a file name or {&quot;zero_shot&quot;: {&quot;classes&quot;: ..., &quot;templates&quot;: ...}}</source>
        <translation>%1head 必须是文件名或 {&quot;zero_shot&quot;: {&quot;classes&quot;: ..., &quot;templates&quot;: ...}}</translation>
    </message>
    <message>
        <source>%1zero_shot has an unknown key &quot;%2&quot; (known: classes, templates)</source>
        <translation>%1zero_shot 含有未知键“%2”（已知：classes、templates）</translation>
    </message>
    <message>
        <source>%1zero_shot: %2</source>
        <translation>%1zero_shot：%2</translation>
    </message>
    <message>
        <source>normalization &quot;%1&quot; must be an array of 3 numbers</source>
        <translation>normalization 的“%1”必须是含 3 个数的数组</translation>
    </message>
    <message>
        <source>normalization &quot;%1&quot; must be an array of 3 numbers in [%2, %3]</source>
        <translation>normalization 的“%1”必须是含 3 个 [%2, %3] 内数值的数组</translation>
    </message>
    <message>
        <source>&quot;name&quot; must be a string</source>
        <translation>“name”必须是字符串</translation>
    </message>
    <message>
        <source>&quot;normalization&quot; must be an object with &quot;mean&quot; and &quot;std&quot;</source>
        <translation>“normalization”必须是含“mean”和“std”的对象</translation>
    </message>
    <message>
        <source>&quot;tasks&quot; must be an array of tasks</source>
        <translation>“tasks”必须是任务数组</translation>
    </message>
    <message>
        <source>task %1 is not an object</source>
        <translation>任务 %1 不是对象</translation>
    </message>
    <message>
        <source>task name &apos;%1&apos; appears twice</source>
        <translation>任务名“%1”出现了两次</translation>
    </message>
    <message>
        <source>cannot open: %1</source>
        <translation>无法打开：%1</translation>
    </message>
    <message>
        <source>cannot read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>is %1, not a regular file; it is not read</source>
        <translation>是%1，不是普通文件；不予读取</translation>
    </message>
    <message>
        <source>is %1, more than the %2 a file of this kind may be; it is not read</source>
        <translation>大小为 %1，超过此类文件允许的 %2；不予读取</translation>
    </message>
    <message>
        <source>grew past %1 while being read; it is not read</source>
        <translation>读取期间增大到超过 %1；不予读取</translation>
    </message>
    <message>
        <source>is not a folder name to export into</source>
        <translation>不是可导出到的文件夹名称</translation>
    </message>
    <message>
        <source>the folder to export into does not exist</source>
        <translation>要导出到的文件夹不存在</translation>
    </message>
    <message>
        <source>is not a folder, so nothing can be exported into it</source>
        <translation>不是文件夹，无法导出到其中</translation>
    </message>
    <message>
        <source>is a symbolic link; it is not replaced (export into the folder it points to, or remove the link)</source>
        <translation>是符号链接；不予替换（请导出到它指向的文件夹，或删除该链接）</translation>
    </message>
    <message>
        <source>already exists (allow overwriting or choose another folder)</source>
        <translation>已存在（请允许覆盖或选择其他文件夹）</translation>
    </message>
    <message>
        <source>already exists and is not a folder; it is not replaced</source>
        <translation>已存在且不是文件夹；不予替换</translation>
    </message>
    <message>
        <source>%1 &apos;%2&apos; does not stay inside %3</source>
        <translation>%1“%2”超出了 %3 的范围</translation>
    </message>
    <message>
        <source>cannot create the folder (does %1 appear twice?)</source>
        <translation>无法创建文件夹（%1 是否出现了两次？）</translation>
    </message>
    <message>
        <source>cannot move the exported folder into place: %1</source>
        <translation>无法将导出的文件夹移动到目标位置：%1</translation>
    </message>
    <message>
        <source>already exists (another run wrote it meanwhile); it is not replaced</source>
        <translation>已存在（其间被另一次运行写入）；不予替换</translation>
    </message>
    <message>
        <source>now exists and is not a folder; it is not replaced</source>
        <translation>现已存在且不是文件夹；不予替换</translation>
    </message>
    <message>
        <source>cannot move the existing folder aside to replace it</source>
        <translation>无法将现有文件夹移开以替换它</translation>
    </message>
    <message>
        <source>cannot move the exported folder into place from %1</source>
        <translation>无法将导出的文件夹从 %1 移动到目标位置</translation>
    </message>
    <message>
        <source>cannot write: the folder %1 does not exist</source>
        <translation>无法写入：文件夹 %1 不存在</translation>
    </message>
    <message>
        <source>cannot find a free name beside it to write into</source>
        <translation>在其旁边找不到可用于写入的空闲名称</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: the test data (%2) name no classes: give &quot;classes&quot;</source>
        <translation>%1：测试数据（%2）未给出类别名：请提供“classes”</translation>
    </message>
    <message>
        <source>pool has no tasks</source>
        <translation>模型池中没有任务</translation>
    </message>
    <message>
        <source>head of task &apos;%1&apos; takes %2 features, but the model outputs %3 (%4)</source>
        <translation>任务“%1”的分类头接受 %2 维特征，但模型输出 %3 维（%4）</translation>
    </message>
    <message>
        <source>image folder not found</source>
        <translation>找不到图像文件夹</translation>
    </message>
    <message>
        <source>not a folder (expected &lt;root&gt;/&lt;class name&gt;/&lt;image files&gt;)</source>
        <translation>不是文件夹（应为 &lt;根目录&gt;/&lt;类别名&gt;/&lt;图像文件&gt;）</translation>
    </message>
    <message>
        <source>no class sub-folders (expected &lt;root&gt;/&lt;class name&gt;/&lt;image files&gt;)</source>
        <translation>没有类别子文件夹（应为 &lt;根目录&gt;/&lt;类别名&gt;/&lt;图像文件&gt;）</translation>
    </message>
    <message>
        <source>the class name &apos;%1&apos; appears twice in the head&apos;s classes</source>
        <translation>类别名“%1”在分类头的类别中出现了两次</translation>
    </message>
    <message>
        <source>class folders do not match the head&apos;s %1 classes (%2 folders): %3</source>
        <translation>类别文件夹与分类头的 %1 个类别不符（%2 个文件夹）：%3</translation>
    </message>
    <message>
        <source>no images in any class folder (extensions: %1)</source>
        <translation>所有类别文件夹中都没有图像（扩展名：%1）</translation>
    </message>
    <message>
        <source>class folder holds no images (extensions: %1)</source>
        <translation>类别文件夹中没有图像（扩展名：%1）</translation>
    </message>
</context>
<context>
    <name>wemoe::MethodCatalogue</name>
    <message>
        <source>Step</source>
        <translation>步长</translation>
    </message>
    <message>
        <source>Distance between two λ of the sweep.</source>
        <translation>扫描中相邻两个 λ 的间距。</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起点</translation>
    </message>
    <message>
        <source>First λ of the sweep.</source>
        <translation>扫描的第一个 λ。</translation>
    </message>
    <message>
        <source>To</source>
        <translation>终点</translation>
    </message>
    <message>
        <source>Last λ of the sweep (included).</source>
        <translation>扫描的最后一个 λ（包含在内）。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Scaling factor λ</source>
        <translation>缩放系数 λ</translation>
    </message>
    <message>
        <source>How much of the merged task vectors is added to θ0.</source>
        <translation>合并后的任务向量以多大比例加到 θ0 上。</translation>
    </message>
    <message>
        <source>TIES top-k</source>
        <translation>TIES 前 k</translation>
    </message>
    <message>
        <source>Share of each task vector&apos;s entries TIES keeps, by magnitude (k=20 and k=0.2 both mean 20 %).</source>
        <translation>TIES 按绝对值保留的每个任务向量元素的比例（k=20 与 k=0.2 都表示 20 %）。</translation>
    </message>
    <message>
        <source>sum</source>
        <translation>求和</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大</translation>
    </message>
    <message>
        <source>TIES merge</source>
        <translation>TIES 合并方式</translation>
    </message>
    <message>
        <source>How TIES combines the entries that agree with the elected sign: sum (FusionBench), mean (the TIES paper) or the largest magnitude.</source>
        <translation>TIES 如何合并与选定符号一致的元素：求和（FusionBench）、平均（TIES 论文）或取绝对值最大者。</translation>
    </message>
    <message>
        <source>Top-k per tensor</source>
        <translation>按张量取前 k</translation>
    </message>
    <message>
        <source>Count the top-k within each tensor (mergekit&apos;s way) instead of over the whole task vector (the TIES paper and FusionBench).</source>
        <translation>在每个张量内部统计前 k（mergekit 的做法），而不是在整个任务向量上统计（TIES 论文与 FusionBench）。</translation>
    </message>
    <message>
        <source>Drop rate p</source>
        <translation>丢弃率 p</translation>
    </message>
    <message>
        <source>Probability that DARE drops each task-vector entry.</source>
        <translation>DARE 丢弃每个任务向量元素的概率。</translation>
    </message>
    <message>
        <source>Rescale survivors by 1/(1−p)</source>
        <translation>保留元素乘以 1/(1−p)</translation>
    </message>
    <message>
        <source>Keeps each task vector&apos;s expected value after dropping.</source>
        <translation>丢弃之后保持每个任务向量的期望值不变。</translation>
    </message>
    <message>
        <source>Seed of DARE&apos;s random drop mask; a seed gives the same model on every machine.</source>
        <translation>DARE 随机丢弃掩码的种子；同一种子在任何机器上都得到相同的模型。</translation>
    </message>
    <message>
        <source>task arithmetic</source>
        <translation>任务算术</translation>
    </message>
    <message>
        <source>TIES</source>
        <translation>TIES</translation>
    </message>
    <message>
        <source>Then</source>
        <translation>随后</translation>
    </message>
    <message>
        <source>What merges the sparsified task vectors: task arithmetic or TIES (with the TIES parameters below).</source>
        <translation>用什么合并稀疏化后的任务向量：任务算术，或 TIES（使用下面的 TIES 参数）。</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Adam steps of the entropy minimisation.</source>
        <translation>熵最小化的 Adam 步数。</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Adam&apos;s learning rate.</source>
        <translation>Adam 的学习率。</translation>
    </message>
    <message>
        <source>Batch per task</source>
        <translation>每任务批大小</translation>
    </message>
    <message>
        <source>Unlabeled test images per task in each step.</source>
        <translation>每一步中每个任务使用的无标签测试图像数。</translation>
    </message>
    <message>
        <source>Seed of the batch order (and of WEMoE&apos;s router init).</source>
        <translation>批次顺序的种子（以及 WEMoE 路由器初始化的种子）。</translation>
    </message>
    <message>
        <source>Initial λ</source>
        <translation>初始 λ</translation>
    </message>
    <message>
        <source>The λ every coefficient starts from.</source>
        <translation>每个系数的初始 λ。</translation>
    </message>
    <message>
        <source>per sample</source>
        <translation>逐样本</translation>
    </message>
    <message>
        <source>batch-reduced</source>
        <translation>批内平均</translation>
    </message>
    <message>
        <source>2: Linear → ReLU → Linear</source>
        <translation>2：Linear → ReLU → Linear</translation>
    </message>
    <message>
        <source>1: Linear</source>
        <translation>1：Linear</translation>
    </message>
    <message>
        <source>0: a learned bias</source>
        <translation>0：一个可学习的偏置</translation>
    </message>
    <message>
        <source>Router depth</source>
        <translation>路由器深度</translation>
    </message>
    <message>
        <source>2: Linear(D,D) → ReLU → Linear(D,T); 1: Linear(D,T); 0: one learned weight per task.</source>
        <translation>2：Linear(D,D) → ReLU → Linear(D,T)；1：Linear(D,T)；0：每个任务一个可学习的权重。</translation>
    </message>
    <message>
        <source>Router initial λ</source>
        <translation>路由器初始 λ</translation>
    </message>
    <message>
        <source>The routers&apos; last bias: at step 0 the model is close to task arithmetic with this λ (equal to it for depth 0).</source>
        <translation>路由器最后一层的偏置：第 0 步时模型接近使用此 λ 的任务算术（深度为 0 时完全相同）。</translation>
    </message>
    <message>
        <source>λ outside the MLPs</source>
        <translation>MLP 之外的 λ</translation>
    </message>
    <message>
        <source>Task arithmetic&apos;s λ for every tensor but the MLPs.</source>
        <translation>除 MLP 之外所有张量所用的任务算术 λ。</translation>
    </message>
    <message>
        <source>Routing mode</source>
        <translation>路由模式</translation>
    </message>
    <message>
        <source>Routing when the model is evaluated. Per sample: every image gets its own merged MLPs (the paper&apos;s). Batch-reduced: the weights averaged over the batch, cheaper but no longer per image.</source>
        <translation>评测模型时的路由方式。逐样本：每张图像得到自己的合并 MLP（论文的做法）。批内平均：在批内平均路由权重，更省计算，但不再逐图像。</translation>
    </message>
    <message>
        <source>Routing while adapting</source>
        <translation>自适应时的路由</translation>
    </message>
    <message>
        <source>Routing during the test-time adaptation (per sample is the paper&apos;s).</source>
        <translation>测试时自适应期间的路由方式（逐样本是论文的做法）。</translation>
    </message>
    <message>
        <source>bfloat16 task vectors</source>
        <translation>bfloat16 任务向量</translation>
    </message>
    <message>
        <source>Keep the MLP task vectors in bfloat16: half the memory, rounded weights.</source>
        <translation>以 bfloat16 保存 MLP 任务向量：内存减半，权重有舍入。</translation>
    </message>
    <message>
        <source>Diversity weight</source>
        <translation>多样性权重</translation>
    </message>
    <message>
        <source>0: the paper&apos;s objective. Above 0, each task&apos;s loss also rewards spreading its batch over its classes by this weight, so adaptation cannot pay off by predicting one class for a whole task; it assumes the classes are roughly balanced. 1 or 2 is a good start.</source>
        <translation>0：论文的目标函数。大于 0 时，每个任务的损失还会按此权重奖励其批次在各类别上的分散，使自适应无法靠把整个任务预测为同一类来获益；它假设各类别大致均衡。可从 1 或 2 开始。</translation>
    </message>
    <message>
        <source>Pretrained (zero-shot)</source>
        <translation>预训练（零样本）</translation>
    </message>
    <message>
        <source>The pretrained model θ0 alone on every task: the lower bound a merge should beat.</source>
        <translation>仅用预训练模型 θ0 评测每个任务：合并方法应超过的下限。</translation>
    </message>
    <message>
        <source>Individual fine-tuned</source>
        <translation>独立微调</translation>
    </message>
    <message>
        <source>Each task&apos;s own fine-tuned model on its own task: the upper bound, and the reference of the normalized column. Not one model, so it cannot be exported.</source>
        <translation>每个任务用自己的微调模型评测：上限，也是归一化列的参照。它不是单一模型，因此不能导出。</translation>
    </message>
    <message>
        <source>Simple average</source>
        <translation>简单平均</translation>
    </message>
    <message>
        <source>θ = mean of the fine-tuned models θ1..θT. No parameters.</source>
        <translation>θ = 微调模型 θ1..θT 的平均。无参数。</translation>
    </message>
    <message>
        <source>Task arithmetic</source>
        <translation>任务算术</translation>
    </message>
    <message>
        <source>θ = θ0 + λ Σt τt with task vectors τt = θt − θ0.</source>
        <translation>θ = θ0 + λ Σt τt，其中任务向量 τt = θt − θ0。</translation>
    </message>
    <message>
        <source>TIES merging</source>
        <translation>TIES 合并</translation>
    </message>
    <message>
        <source>Trim every task vector to its top-k entries by magnitude, elect a sign per entry, merge the entries that agree with it, then θ = θ0 + λ·merged.</source>
        <translation>将每个任务向量按绝对值裁剪为前 k 个元素，为每个位置选出符号，合并与之一致的元素，然后 θ = θ0 + λ·合并结果。</translation>
    </message>
    <message>
        <source>DARE</source>
        <translation>DARE</translation>
    </message>
    <message>
        <source>Drop each task-vector entry with probability p, rescale the survivors by 1/(1−p), then task arithmetic or TIES.</source>
        <translation>以概率 p 丢弃任务向量的每个元素，将保留的元素乘以 1/(1−p)，然后进行任务算术或 TIES。</translation>
    </message>
    <message>
        <source>AdaMerging, task-wise</source>
        <translation>AdaMerging（按任务）</translation>
    </message>
    <message>
        <source>θ = θ0 + Σt λt τt with one λ per task, learned by minimising the prediction entropy on unlabeled test images.</source>
        <translation>θ = θ0 + Σt λt τt，每个任务一个 λ，通过在无标签测试图像上最小化预测熵来学习。</translation>
    </message>
    <message>
        <source>AdaMerging, layer-wise</source>
        <translation>AdaMerging（按层）</translation>
    </message>
    <message>
        <source>One λ per task and tensor, learned the same way; the stronger variant.</source>
        <translation>每个任务、每个张量一个 λ，以同样方式学习；更强的变体。</translation>
    </message>
    <message>
        <source>WEMoE</source>
        <translation>WEMoE</translation>
    </message>
    <message>
        <source>Weight-ensembling mixture of experts: every block&apos;s MLP becomes θ0&apos;s MLP plus the task vectors&apos; MLPs weighted per image by a router trained at test time on unlabeled images; everything else is task arithmetic. Its routing weights fill the routing views.</source>
        <translation>权重集成混合专家：每个块的 MLP 变为 θ0 的 MLP 加上各任务向量的 MLP，由在测试时用无标签图像训练的路由器逐图像加权；其余部分为任务算术。其路由权重显示在路由视图中。</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>CPU threads for LibTorch and image decoding; 0 uses all cores.</source>
        <translation>LibTorch 与图像解码使用的 CPU 线程数；0 表示使用全部核心。</translation>
    </message>
    <message>
        <source>Evaluation batch</source>
        <translation>评测批大小</translation>
    </message>
    <message>
        <source>Images per evaluation batch: larger is faster until memory runs out.</source>
        <translation>每个评测批次的图像数：越大越快，直到内存不足。</translation>
    </message>
    <message>
        <source>Test images per task</source>
        <translation>每个任务的测试图像数</translation>
    </message>
    <message>
        <source>At most this many test images per task, a seeded random subset, for quick runs; 0 uses them all.</source>
        <translation>每个任务至多使用这么多测试图像（按种子随机抽取的子集），用于快速运行；0 表示全部使用。</translation>
    </message>
    <message>
        <source>Task-vector keep ratio</source>
        <translation>任务向量保留比例</translation>
    </message>
    <message>
        <source>Share of each MLP task-vector tensor kept, by magnitude; the rest is pruned and the kept entries stored sparse (keep=10 and keep=0.1 both mean 10 %, the reference&apos;s prune ratio 0.9).</source>
        <translation>每个 MLP 任务向量张量按幅值保留的比例；其余部分被剪除，保留的元素以稀疏形式存储（keep=10 与 keep=0.1 都表示 10 %，即参考实现的剪枝比例 0.9）。</translation>
    </message>
    <message>
        <source>shared by all blocks</source>
        <translation>所有块共享</translation>
    </message>
    <message>
        <source>one per block</source>
        <translation>每块一个</translation>
    </message>
    <message>
        <source>Routers</source>
        <translation>路由器</translation>
    </message>
    <message>
        <source>Shared: one router serves every block, each block feeding it its own MLP input (the reference&apos;s). Per block: one router per block, as WEMoE.</source>
        <translation>共享：一个路由器服务所有块，每个块向它输入自己的 MLP 输入（参考实现的做法）。每块：每个块一个路由器，与 WEMoE 相同。</translation>
    </message>
    <message>
        <source>E-WEMoE</source>
        <translation>E-WEMoE</translation>
    </message>
    <message>
        <source>Efficient WEMoE: WEMoE with every MLP task vector pruned by magnitude and stored sparse, and one router shared by all blocks; far less memory, routing and adaptation as WEMoE.</source>
        <translation>高效 WEMoE：每个 MLP 任务向量按幅值剪枝并以稀疏形式存储、所有块共享一个路由器的 WEMoE；内存占用少得多，路由和自适应与 WEMoE 相同。</translation>
    </message>
</context>
<context>
    <name>wemoe::WorkOutcome</name>
    <message>
        <source>LibTorch: %1</source>
        <translation>LibTorch：%1</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::AccuracyPanel</name>
    <message>
        <source>Click a column header to sort. Bold cells are the best merge of each column (the individual models are the reference, not a merge).</source>
        <translation>点击列标题即可排序。粗体单元格是每列中最好的合并结果（各任务的独立模型仅作参照，不算合并）。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the selected cells (or the whole table as Markdown) to the clipboard (Ctrl+C).</source>
        <translation>将选中的单元格（未选中时为整张 Markdown 表格）复制到剪贴板（Ctrl+C）。</translation>
    </message>
    <message>
        <source>Export table…</source>
        <translation>导出表格…</translation>
    </message>
    <message>
        <source>Save the table as CSV, Markdown or JSON.</source>
        <translation>将表格保存为 CSV、Markdown 或 JSON。</translation>
    </message>
    <message>
        <source>Open a pool, choose methods and press Run (F5).</source>
        <translation>打开模型池，选择方法后按“运行”（F5）。</translation>
    </message>
    <message numerus="yes">
        <source>%n task(s). Press Run (F5) to measure the checked methods.</source>
        <translation>
            <numerusform>%n 个任务。按“运行”（F5）评测已勾选的方法。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n method(s) measured.</source>
        <translation>
            <numerusform>已评测 %n 种方法。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n method(s) measured; best average: %1 (%2 %).</source>
        <translation>
            <numerusform>已评测 %n 种方法；平均最佳：%1（%2 %）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export table</source>
        <translation>导出表格</translation>
    </message>
    <message>
        <source>The table is empty: run some methods first.</source>
        <translation>表格为空：请先运行一些方法。</translation>
    </message>
    <message>
        <source>CSV table (*.csv);;Markdown table (*.md);;JSON (*.json)</source>
        <translation>CSV 表格 (*.csv);;Markdown 表格 (*.md);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Export the model of “%1”…</source>
        <translation>导出“%1”的模型…</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::AccuracyTableModel</name>
    <message>
        <source>Each task&apos;s own fine-tuned model: the reference the merges are measured against.</source>
        <translation>每个任务自己的微调模型：衡量各种合并方法的参照。</translation>
    </message>
    <message>
        <source>Routing mode of the evaluation that produced this row.</source>
        <translation>产生这一行结果的评测所用的路由模式。</translation>
    </message>
    <message>
        <source>A static merge: one model for every image, no routing.</source>
        <translation>静态合并：所有图像共用一个模型，没有路由。</translation>
    </message>
    <message>
        <source>Not measured</source>
        <translation>未评测</translation>
    </message>
    <message>
        <source>%1 — %2: %3 %</source>
        <translation>%1 — %2：%3 %</translation>
    </message>
    <message>
        <source>Best in this column</source>
        <translation>本列最佳</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>Normalized</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>Mean accuracy over the tasks (%).</source>
        <translation>各任务准确率的平均值（%）。</translation>
    </message>
    <message>
        <source>Mean over the tasks of accuracy divided by the individual model&apos;s accuracy on that task (%).</source>
        <translation>各任务上“准确率 ÷ 该任务独立模型准确率”的平均值（%）。</translation>
    </message>
    <message>
        <source>Top-1 accuracy on the test images of task %1 (%).</source>
        <translation>任务 %1 测试图像上的 Top-1 准确率（%）。</translation>
    </message>
    <message>
        <source>%1
(%)</source>
        <translation>%1
(%)</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::AdaptationController</name>
    <message numerus="yes">
        <source>Adapt and evaluate %1 (%n step(s))</source>
        <translation>
            <numerusform>自适应并评估 %1（%n 步）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (stopped at step %2)</source>
        <translation>%1（在第 %2 步停止）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 does not adapt at test time</source>
        <translation>%1 不在测试时自适应</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::CoefficientPanel</name>
    <message>
        <source>Run:</source>
        <translation>运行：</translation>
    </message>
    <message>
        <source>The AdaMerging run whose learned λ are shown, or a saved coefficient file. The newest is shown as runs finish, until you pick another.</source>
        <translation>显示其学到的 λ 的 AdaMerging 运行，或已保存的系数文件。每次运行完成时显示最新的一个，直到您另选其他。</translation>
    </message>
    <message>
        <source>Open coefficients…</source>
        <translation>打开系数…</translation>
    </message>
    <message>
        <source>Show the λ saved beside an exported AdaMerging model (adamerging-coefficients.json). Dropping the file on the window, or File ▸ Open, does the same.</source>
        <translation>显示导出的 AdaMerging 模型旁保存的 λ（adamerging-coefficients.json）。把该文件拖放到窗口上，或使用“文件 ▸ 打开”，效果相同。</translation>
    </message>
    <message>
        <source>Rows:</source>
        <translation>行：</translation>
    </message>
    <message>
        <source>each tensor</source>
        <translation>每个张量</translation>
    </message>
    <message>
        <source>mean per block</source>
        <translation>每块的均值</translation>
    </message>
    <message>
        <source>One row per parameter tensor, as layer-wise AdaMerging learns them, or the mean λ of each transformer block&apos;s tensors (the tooltip and the exported CSV name every row in full).</source>
        <translation>每个参数张量一行（与按层 AdaMerging 学习的粒度相同），或每个 Transformer 块中各张量 λ 的均值（提示框和导出的 CSV 会写出每一行的完整名称）。</translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation>颜色：</translation>
    </message>
    <message>
        <source>deviation from λ₀</source>
        <translation>与 λ₀ 的偏差</translation>
    </message>
    <message>
        <source>λ (its range in the map)</source>
        <translation>λ（按图中的取值范围）</translation>
    </message>
    <message>
        <source>deviation from the row&apos;s mean</source>
        <translation>与该行均值的偏差</translation>
    </message>
    <message>
        <source>What the colours measure: how far each λ moved from the initial λ₀ it was learned from (white: not at all), λ itself from the smallest to the largest shown, or how far each task&apos;s λ is from the mean over the tasks of its row (which task a tensor leans to). Cells show λ either way. A saved file does not record λ₀: it is shown on its range.</source>
        <translation>颜色表示的含义：每个 λ 相对于学习起点 λ₀ 移动了多少（白色：没有移动），λ 本身（从所显示的最小值到最大值），或每个任务的 λ 与其所在行各任务均值的距离（即该张量偏向哪个任务）。无论哪种方式，单元格中显示的都是 λ。已保存的文件不记录 λ₀：按其取值范围显示。</translation>
    </message>
    <message>
        <source>The merging coefficients λ appear here after an AdaMerging run, or open an exported model&apos;s adamerging-coefficients.json (File ▸ Open, or drop it on the window).</source>
        <translation>AdaMerging 运行完成后，合并系数 λ 会显示在这里；也可以打开导出模型的 adamerging-coefficients.json（“文件 ▸ 打开”，或把它拖放到窗口上）。</translation>
    </message>
    <message>
        <source>Learned merging coefficients λ</source>
        <translation>学到的合并系数 λ</translation>
    </message>
    <message>
        <source>AdaMerging merges θ = θ₀ + Σₜ λₜ τₜ and learns the λ by minimising the prediction entropy on unlabeled test images: one λ per task (task-wise, a single row &quot;all&quot;), or one per task and parameter tensor (layer-wise).</source>
        <translation>AdaMerging 按 θ = θ₀ + Σₜ λₜ τₜ 合并，并通过在无标签测试图像上最小化预测熵来学习 λ：每个任务一个 λ（按任务，只有一行 &quot;all&quot;），或每个任务和参数张量各一个（按层）。</translation>
    </message>
    <message numerus="yes">
        <source>task-wise: one λ for each of %n task(s)</source>
        <translation>
            <numerusform>按任务：%n 个任务各一个 λ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>layer-wise: %1 tensors × %n task(s)</source>
        <translation>
            <numerusform>按层：%1 个张量 × %n 个任务</numerusform>
        </translation>
    </message>
    <message>
        <source>Learned by this session&apos;s run %1.</source>
        <translation>由本会话的运行 %1 学得。</translation>
    </message>
    <message>
        <source>Read from %1.</source>
        <translation>读取自 %1。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::CoefficientTable</name>
    <message>
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>block</source>
        <translation>块</translation>
    </message>
    <message>
        <source>task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>λ</source>
        <translation>λ</translation>
    </message>
    <message>
        <source>mean λ</source>
        <translation>λ 均值</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ComputeEnvironment</name>
    <message>
        <source>CPU (%1 threads)</source>
        <translation>CPU（%1 个线程）</translation>
    </message>
    <message>
        <source>CUDA device %1</source>
        <translation>CUDA 设备 %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::DemoZooEstimate</name>
    <message numerus="yes">
        <source>about %n s</source>
        <translation>
            <numerusform>约 %n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n min</source>
        <translation>
            <numerusform>约 %n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <source>Ready: it was built earlier and opens at once.</source>
        <translation>已就绪：之前已构建，可立即打开。</translation>
    </message>
    <message>
        <source>Builds first (once): %1 on this machine (last build).</source>
        <translation>首次需先构建（仅一次）：在本机上%1（上次构建）。</translation>
    </message>
    <message>
        <source>Builds first (once): %1, as measured on two cores.</source>
        <translation>首次需先构建（仅一次）：%1（在双核机器上测得）。</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>已就绪</translation>
    </message>
    <message numerus="yes">
        <source>~%n s</source>
        <translation>
            <numerusform>约 %n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>~%n min</source>
        <translation>
            <numerusform>约 %n 分钟</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wemoe::ui::EvaluationController</name>
    <message>
        <source>A result measured on another pool was dropped (the pool changed while it ran).</source>
        <translation>已丢弃一个在其他模型池上测得的结果（运行期间模型池已更换）。</translation>
    </message>
    <message>
        <source>nothing to run: check at least one method, the λ sweep or the task-vector analysis</source>
        <translation>没有可运行的内容：请至少勾选一种方法、λ 扫描或任务向量分析</translation>
    </message>
    <message>
        <source>Evaluate %1</source>
        <translation>评测 %1</translation>
    </message>
    <message>
        <source>λ sweep of %1 (%2 points)</source>
        <translation>%1 的 λ 扫描（%2 个点）</translation>
    </message>
    <message>
        <source>A sweep point measured on another pool was dropped.</source>
        <translation>已丢弃一个在其他模型池上测得的扫描点。</translation>
    </message>
    <message>
        <source>Task-vector similarity</source>
        <translation>任务向量相似度</translation>
    </message>
    <message>
        <source>task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>cosine similarity of task vectors</source>
        <translation>任务向量余弦相似度</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ExportController</name>
    <message>
        <source>&apos;individual&apos; is one model per task, not a merge: there is no single model to export</source>
        <translation>“individual”是每个任务各一个模型，并非合并结果：没有可导出的单一模型</translation>
    </message>
    <message>
        <source>export: no folder chosen</source>
        <translation>导出：未选择文件夹</translation>
    </message>
    <message>
        <source>Export %1 to %2</source>
        <translation>导出 %1 到 %2</translation>
    </message>
    <message>
        <source>export: this result&apos;s model is not held in memory (it comes from a saved session); run the method again to export it</source>
        <translation>导出：此结果的模型不在内存中（来自已保存的会话）；请重新运行该方法后再导出</translation>
    </message>
    <message>
        <source>export: no target chosen</source>
        <translation>导出：未选择目标</translation>
    </message>
    <message>
        <source>export: a WEMoE model is written as a WEMoE model file or as collapsed per-task models</source>
        <translation>导出：WEMoE 模型只能写成 WEMoE 模型文件，或折叠为每个任务一个模型</translation>
    </message>
    <message>
        <source>export: AdaMerging&apos;s model is one merged model (a Hugging Face folder)</source>
        <translation>导出：AdaMerging 的模型是一个合并模型（Hugging Face 文件夹）</translation>
    </message>
    <message>
        <source>Export the WEMoE model %1 to %2</source>
        <translation>导出 WEMoE 模型 %1 到 %2</translation>
    </message>
    <message>
        <source>Export %1 collapsed per task to %2</source>
        <translation>将 %1 按任务折叠后导出到 %2</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ExportDialog</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>as the pretrained checkpoint</source>
        <translation>与预训练检查点相同</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>What to write: the merged model of a finished method (a Hugging Face folder), the WEMoE model with its routers (one .safetensors file the studio and the command line reload), or WEMoE collapsed into one plain model per task (each block&apos;s MLP merged at the routing weights averaged over that task&apos;s test images). Default: the selected row.</source>
        <translation>要写出的内容：已完成方法的合并模型（Hugging Face 文件夹）；带路由器的 WEMoE 模型（一个 .safetensors 文件，工作室和命令行都能重新加载）；或将 WEMoE 折叠为每个任务一个普通模型（每个块的 MLP 按该任务测试图像上平均的路由权重合并）。默认：所选的行。</translation>
    </message>
    <message>
        <source>Where to write: a folder (merged and collapsed models) or a .safetensors file (the WEMoE model). It is assembled beside this path and moved into place when complete.</source>
        <translation>写入位置：文件夹（合并模型和折叠模型）或 .safetensors 文件（WEMoE 模型）。先在该路径旁组装，完成后再移动到位。</translation>
    </message>
    <message>
        <source>Storage type of the written weights of Hugging Face folders. Default: the pretrained checkpoint&apos;s. A WEMoE model file keeps the model&apos;s own types.</source>
        <translation>Hugging Face 文件夹中写入权重的存储类型。默认：与预训练检查点相同。WEMoE 模型文件保留模型自身的类型。</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>%1 — merged model (Hugging Face folder)</source>
        <translation>%1 — 合并模型（Hugging Face 文件夹）</translation>
    </message>
    <message>
        <source>%1 — WEMoE model with routers (.safetensors file)</source>
        <translation>%1 — 带路由器的 WEMoE 模型（.safetensors 文件）</translation>
    </message>
    <message>
        <source>%1 — collapsed, one Hugging Face folder per task</source>
        <translation>%1 — 折叠，每个任务一个 Hugging Face 文件夹</translation>
    </message>
    <message>
        <source>Export the WEMoE model to</source>
        <translation>将 WEMoE 模型导出到</translation>
    </message>
    <message>
        <source>WEMoE model (*.safetensors)</source>
        <translation>WEMoE 模型 (*.safetensors)</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>Choose where to export to.</source>
        <translation>请选择导出位置。</translation>
    </message>
    <message>
        <source>%1 is a folder; a WEMoE model is written as one file.</source>
        <translation>%1 是文件夹；WEMoE 模型写成单个文件。</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 已存在。要替换吗？</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::HeatmapWidget</name>
    <message>
        <source>No data yet.</source>
        <translation>暂无数据。</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1，%2：%3</translation>
    </message>
    <message>
        <source>%1 − %2</source>
        <translation>%1 − %2</translation>
    </message>
    <message>
        <source>%1 − its %2&apos;s mean</source>
        <translation>%1 − 所在%2的均值</translation>
    </message>
    <message>
        <source>%1, %2: %3 (%4%5 from the centre)</source>
        <translation>%1，%2：%3（距中心 %4%5）</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ImageRoutingPanel</name>
    <message>
        <source>The task whose test images are listed.</source>
        <translation>列出其测试图像的任务。</translation>
    </message>
    <message>
        <source>Test images of the task: true label / predicted label; red when the prediction is wrong.</source>
        <translation>该任务的测试图像：真实标签 / 预测标签；预测错误时显示为红色。</translation>
    </message>
    <message>
        <source>Per-image routing weights appear here after a WEMoE run: pick an image.</source>
        <translation>运行 WEMoE 后，这里会显示单张图像的路由权重：请选择一张图像。</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>任务：</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1
true: %2, predicted: %3</source>
        <translation>%1
真实：%2，预测：%3</translation>
    </message>
    <message>
        <source>: true %1, predicted %2</source>
        <translation>：真实 %1，预测 %2</translation>
    </message>
    <message>
        <source>Image %1 of %2 in task %3</source>
        <translation>任务 %3 的第 %1 / %2 张图像</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::Job</name>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::JobListModel</name>
    <message>
        <source>%1 elapsed</source>
        <translation>已用 %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::JobStatusBar</name>
    <message>
        <source>Where jobs run and with how many threads (Methods panel, Compute).</source>
        <translation>作业运行的设备和线程数（方法面板 › 计算）。</translation>
    </message>
    <message>
        <source>Memory this process holds (resident set size).</source>
        <translation>本进程占用的内存（常驻内存大小）。</translation>
    </message>
    <message numerus="yes">
        <source>Device: %1 · %n thread(s)</source>
        <translation>
            <numerusform>设备：%1 · %n 个线程</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) queued</source>
        <translation>
            <numerusform>%n 个作业排队中</numerusform>
        </translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message numerus="yes">
        <source>(+%n queued)</source>
        <translation>
            <numerusform>（另有 %n 个排队）</numerusform>
        </translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>内存：%1</translation>
    </message>
    <message>
        <source>Failed: %1 — show in the log</source>
        <translation>失败：%1 — 在日志中查看</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::JobsPanel</name>
    <message>
        <source>Cancel selected</source>
        <translation>取消所选</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>全部取消</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>清除已结束</translation>
    </message>
    <message>
        <source>Stop the selected jobs. A running job stops at its next unit of work; results finished before stay.</source>
        <translation>停止所选作业。正在运行的作业会在下一个工作单元处停止；之前完成的结果会保留。</translation>
    </message>
    <message>
        <source>Stop the running job and drop the queued ones (Esc).</source>
        <translation>停止正在运行的作业并丢弃排队的作业（Esc）。</translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled jobs from the list.</source>
        <translation>从列表中移除已完成、失败和已取消的作业。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::LinePlotWidget</name>
    <message>
        <source>Show all the data (double-click, Home)</source>
        <translation>显示全部数据（双击、Home）</translation>
    </message>
    <message>
        <source>Logarithmic y axis</source>
        <translation>对数 y 轴</translation>
    </message>
    <message>
        <source>Show every series</source>
        <translation>显示所有曲线</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::LogPanel</name>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Empty the log.</source>
        <translation>清空日志。</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Save the log as a text file.</source>
        <translation>将日志保存为文本文件。</translation>
    </message>
    <message>
        <source>warning: </source>
        <translation>警告：</translation>
    </message>
    <message>
        <source>error: </source>
        <translation>错误：</translation>
    </message>
    <message>
        <source>Save log</source>
        <translation>保存日志</translation>
    </message>
    <message>
        <source>Text files (*.log *.txt)</source>
        <translation>文本文件 (*.log *.txt)</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::LossCurvePlot</name>
    <message>
        <source>The test-time adaptation loss of AdaMerging and WEMoE appears here while they adapt.</source>
        <translation>AdaMerging 和 WEMoE 进行测试时自适应时，其损失曲线会显示在这里。</translation>
    </message>
    <message>
        <source>total loss</source>
        <translation>总损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>entropy loss</source>
        <translation>熵损失</translation>
    </message>
    <message>
        <source>entropy loss (smoothed)</source>
        <translation>熵损失（平滑）</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::MainWindow</name>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Accuracy of every method on every task, with the average and the normalized accuracy.</source>
        <translation>每种方法在每个任务上的准确率，以及平均准确率和归一化准确率。</translation>
    </message>
    <message>
        <source>λ sweep</source>
        <translation>λ 扫描</translation>
    </message>
    <message>
        <source>Accuracy against the scaling factor λ.</source>
        <translation>准确率随缩放系数 λ 的变化。</translation>
    </message>
    <message>
        <source>Task vectors</source>
        <translation>任务向量</translation>
    </message>
    <message>
        <source>How similar the tasks&apos; weight changes are.</source>
        <translation>各任务权重变化之间的相似程度。</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>WEMoE&apos;s routing weights per layer and expert, and the adaptation curve.</source>
        <translation>WEMoE 每层每个专家的路由权重，以及自适应曲线。</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>One test image at a time with its predicted label and routing weights.</source>
        <translation>逐张查看测试图像及其预测标签和路由权重。</translation>
    </message>
    <message>
        <source>&amp;Save session</source>
        <translation>保存会话(&amp;S)</translation>
    </message>
    <message>
        <source>Save the pool, the settings and every finished result (Ctrl+S).</source>
        <translation>保存模型池、设置以及所有已完成的结果（Ctrl+S）。</translation>
    </message>
    <message>
        <source>Save session &amp;as…</source>
        <translation>会话另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About WEMoE Studio</source>
        <translation>关于 WEMoE 工作室(&amp;A)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Workspace</source>
        <translation>工作区</translation>
    </message>
    <message>
        <source>Methods</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>作业</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Started: %1</source>
        <translation>已开始：%1</translation>
    </message>
    <message>
        <source>Finished: %1 (%2)</source>
        <translation>已完成：%1（%2）</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>已取消：%1</translation>
    </message>
    <message>
        <source>Failed: %1 — %2</source>
        <translation>失败：%1 — %2</translation>
    </message>
    <message numerus="yes">
        <source>Pool loaded: %1 (%n task(s))</source>
        <translation>
            <numerusform>模型池已加载：%1（%n 个任务）</numerusform>
        </translation>
    </message>
    <message>
        <source>Task %1 cannot be evaluated: %2</source>
        <translation>任务 %1 无法评测：%2</translation>
    </message>
    <message>
        <source>Cannot open the pool</source>
        <translation>无法打开模型池</translation>
    </message>
    <message>
        <source>Exported %1 to %2</source>
        <translation>已将 %1 导出到 %2</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>Saved method settings ignored: %1</source>
        <translation>已忽略保存的方法设置：%1</translation>
    </message>
    <message>
        <source>Nothing to run on</source>
        <translation>没有可运行的对象</translation>
    </message>
    <message numerus="yes">
        <source>Queued %n job(s).</source>
        <translation>
            <numerusform>已加入 %n 个作业。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot run</source>
        <translation>无法运行</translation>
    </message>
    <message>
        <source>Cancel requested: the running job stops at its next unit of work.</source>
        <translation>已请求取消：正在运行的作业会在下一个工作单元处停止。</translation>
    </message>
    <message>
        <source>Cannot open the session</source>
        <translation>无法打开会话</translation>
    </message>
    <message>
        <source>Cannot save the session</source>
        <translation>无法保存会话</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>WEMoE Studio sessions (*.json)</source>
        <translation>WEMoE 工作室会话 (*.json)</translation>
    </message>
    <message>
        <source>Session saved</source>
        <translation>会话已保存</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>没有可导出的内容</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Open the pool these results were measured on first.</source>
        <translation>请先打开测得这些结果的模型池。</translation>
    </message>
    <message>
        <source>About WEMoE Studio</source>
        <translation>关于 WEMoE 工作室</translation>
    </message>
    <message>
        <source>Jobs are running</source>
        <translation>作业正在运行</translation>
    </message>
    <message>
        <source>Quitting once the running job has stopped…</source>
        <translation>正在运行的作业停止后即退出…</translation>
    </message>
    <message>
        <source>Stopping the running job…</source>
        <translation>正在停止运行中的作业…</translation>
    </message>
    <message>
        <source>Cannot open the folder</source>
        <translation>无法打开文件夹</translation>
    </message>
    <message>
        <source>%1 holds neither a pool (pool.json) nor a model (config.json).</source>
        <translation>%1 中既没有模型池（pool.json），也没有模型（config.json）。</translation>
    </message>
    <message>
        <source>&amp;Export model…</source>
        <translation>导出模型(&amp;E)…</translation>
    </message>
    <message>
        <source>Write the merged model of a finished method as a Hugging Face folder, the WEMoE model with its routers, or WEMoE collapsed per task (Ctrl+E).</source>
        <translation>将已完成方法的合并模型写成 Hugging Face 文件夹，或写出带路由器的 WEMoE 模型，或按任务折叠的 WEMoE（Ctrl+E）。</translation>
    </message>
    <message>
        <source>Merge, adapt and evaluate the checked methods on the open pool (F5). Jobs queue and run one at a time.</source>
        <translation>在打开的模型池上合并、自适应并评估所选方法（F5）。作业排队，一次运行一个。</translation>
    </message>
    <message>
        <source>Cannot show the routing weights</source>
        <translation>无法显示路由权重</translation>
    </message>
    <message>
        <source>quick recipe</source>
        <translation>快速配方</translation>
    </message>
    <message>
        <source>standard recipe</source>
        <translation>标准配方</translation>
    </message>
    <message>
        <source>Run a method first: the merged model of any finished static method or AdaMerging, and the WEMoE model, can be exported.</source>
        <translation>请先运行一个方法：任何已完成的静态方法或 AdaMerging 的合并模型，以及 WEMoE 模型，都可以导出。</translation>
    </message>
    <message>
        <source>“%1” has no model to export (individual models are one per task; results of a reopened session are numbers, not models).</source>
        <translation>“%1”没有可导出的模型（单独模型是每个任务一个；重新打开的会话中的结果只有数字，没有模型）。</translation>
    </message>
    <message>
        <source>&lt;h3&gt;WEMoE Studio %1&lt;/h3&gt;&lt;p&gt;Merges fine-tuned CLIP vision transformers into one multi-task model: simple averaging, task arithmetic, TIES and DARE, AdaMerging, and weight-ensembling mixtures of experts (WEMoE, Tang et al., ICML 2024) whose routing can be browsed per layer and per image.&lt;/p&gt;&lt;p&gt;Qt %2 · LibTorch · OpenCV · QCustomPlot&lt;/p&gt;</source>
        <translation>&lt;h3&gt;WEMoE Studio %1&lt;/h3&gt;&lt;p&gt;将微调后的 CLIP 视觉 Transformer 合并为一个多任务模型：简单平均、任务算术、TIES 和 DARE、AdaMerging，以及权重集成混合专家（WEMoE，Tang 等，ICML 2024），其路由可按层和按图像浏览。&lt;/p&gt;&lt;p&gt;Qt %2 · LibTorch · OpenCV · QCustomPlot&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Stop the running job and drop the queued ones (Esc, outside text and number fields). Asks first when the job has run for more than 30 s. Finished results stay.</source>
        <translation>停止正在运行的任务并丢弃排队的任务（Esc，在文本和数字输入框之外）。任务已运行超过 30 秒时先询问。已完成的结果会保留。</translation>
    </message>
    <message>
        <source>Cancel the running job?</source>
        <translation>取消正在运行的任务？</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has run for %2. Cancelling stops it and drops the queued jobs; results finished so far stay.</source>
        <translation>“%1”已运行 %2。取消会停止它并丢弃排队的任务；已完成的结果会保留。</translation>
    </message>
    <message>
        <source>Unsaved results</source>
        <translation>未保存的结果</translation>
    </message>
    <message>
        <source>Results have finished since the session was last saved. Save them before you %1?</source>
        <translation>自上次保存会话以来又有结果完成。在%1之前保存它们吗？</translation>
    </message>
    <message>
        <source>Restore unsaved results?</source>
        <translation>恢复未保存的结果？</translation>
    </message>
    <message>
        <source>The last session ended with results that were not saved. Restore them?</source>
        <translation>上一次会话结束时有未保存的结果。要恢复它们吗？</translation>
    </message>
    <message>
        <source>Cannot restore the unsaved results</source>
        <translation>无法恢复未保存的结果</translation>
    </message>
    <message>
        <source>open another pool</source>
        <translation>打开另一个模型池</translation>
    </message>
    <message>
        <source>Cancel the running and queued jobs and quit? Results finished so far can be saved before the window closes.</source>
        <translation>取消正在运行和排队的任务并退出？窗口关闭前可以保存已完成的结果。</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Export of %1 failed</source>
        <translation>导出 %1 失败</translation>
    </message>
    <message>
        <source>open another session</source>
        <translation>打开另一个会话</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Import a FusionBench pool…</source>
        <translation>导入 FusionBench 模型池(&amp;I)…</translation>
    </message>
    <message>
        <source>Open a FusionBench CLIP model-pool YAML: its models are found in the Hugging Face cache, its test images in a data folder beside it.</source>
        <translation>打开 FusionBench CLIP 模型池 YAML：其模型从 Hugging Face 缓存中查找，测试图像从其旁边的数据文件夹中读取。</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>Put the panels back where they were at the first start, at their first sizes.</source>
        <translation>把各面板恢复到首次启动时的位置和大小。</translation>
    </message>
    <message>
        <source>The demo zoo could not be prepared: %1</source>
        <translation>无法准备演示模型库：%1</translation>
    </message>
    <message>
        <source>%1 could not be opened: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>Preparing the demo zoo was cancelled; nothing was kept.</source>
        <translation>已取消准备演示模型库；未保留任何内容。</translation>
    </message>
    <message>
        <source>Loading %1 was cancelled.</source>
        <translation>已取消加载 %1。</translation>
    </message>
    <message>
        <source>Open the &amp;quick demo (%1)</source>
        <translation>打开快速演示(&amp;Q)（%1）</translation>
    </message>
    <message>
        <source>Open the &amp;full demo (%1)</source>
        <translation>打开完整演示(&amp;F)（%1）</translation>
    </message>
    <message>
        <source>The quick demo zoo: a tiny CLIP-layout model fine-tuned briefly on eight small datasets.</source>
        <translation>快速演示模型库：一个 CLIP 结构的微型模型，在八个小数据集上做了简短微调。</translation>
    </message>
    <message>
        <source>The full demo zoo: the same eight tasks with more images and longer training.</source>
        <translation>完整演示模型库：同样的八个任务，图像更多、训练更久。</translation>
    </message>
    <message>
        <source>Loading %1 …</source>
        <translation>正在加载 %1 …</translation>
    </message>
    <message>
        <source>open the demo</source>
        <translation>打开演示</translation>
    </message>
    <message>
        <source>Demo zoo (%1): %2 %3</source>
        <translation>演示模型库（%1）：%2 %3</translation>
    </message>
    <message>
        <source>Opening the demo zoo…</source>
        <translation>正在打开演示模型库…</translation>
    </message>
    <message>
        <source>Building the %1 demo zoo first: %2 Progress is in the Jobs panel; Esc cancels.</source>
        <translation>先构建%1演示模型库：%2 进度见“作业”面板；按 Esc 取消。</translation>
    </message>
    <message>
        <source>quick</source>
        <translation>快速</translation>
    </message>
    <message>
        <source>full</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>Open a model pool first (File ▸ Open…, Ctrl+O), or the demo.</source>
        <translation>请先打开模型池（文件 ▸ 打开…，Ctrl+O）或演示。</translation>
    </message>
    <message numerus="yes">
        <source>Accuracies are measured on a seeded subset of at most %n test image(s) per task.</source>
        <translation>
            <numerusform>准确率在每个任务至多 %n 张测试图像的固定种子子集上测得。</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a pool or a session</source>
        <translation>打开模型池或会话</translation>
    </message>
    <message>
        <source>Import a FusionBench model pool</source>
        <translation>导入 FusionBench 模型池</translation>
    </message>
    <message>
        <source>FusionBench model pools (*.yaml *.yml);;All files (*)</source>
        <translation>FusionBench 模型池 (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a model pool (pool.json, or a FusionBench model-pool YAML), a saved session with its pool, settings and results, or the λ saved beside an exported AdaMerging model (Ctrl+O). You can also drop a pool file or folder, a session, a model folder or its adamerging-coefficients.json on the window.</source>
        <translation>打开模型池（pool.json 或 FusionBench 模型池 YAML）、已保存的会话及其模型池、设置和结果，或导出的 AdaMerging 模型旁保存的 λ（Ctrl+O）。也可以把模型池文件或文件夹、会话文件、模型文件夹或其中的 adamerging-coefficients.json 拖放到窗口上。</translation>
    </message>
    <message>
        <source>Learned λ</source>
        <translation>学到的 λ</translation>
    </message>
    <message>
        <source>The merging coefficients AdaMerging learned, per tensor (or block) and task.</source>
        <translation>AdaMerging 学到的合并系数，按张量（或块）和任务排列。</translation>
    </message>
    <message>
        <source>Pools, sessions and AdaMerging coefficients (*.json *.yaml *.yml);;FusionBench pools (*.yaml *.yml);;All files (*)</source>
        <translation>模型池、会话和 AdaMerging 系数 (*.json *.yaml *.yml);;FusionBench 模型池 (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open AdaMerging coefficients</source>
        <translation>打开 AdaMerging 系数</translation>
    </message>
    <message>
        <source>AdaMerging coefficients (adamerging-coefficients.json *.json);;All files (*)</source>
        <translation>AdaMerging 系数 (adamerging-coefficients.json *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>AdaMerging coefficients of %1 are on the “Learned λ” page.</source>
        <translation>%1 的 AdaMerging 系数已显示在“学到的 λ”页面上。</translation>
    </message>
    <message>
        <source>Cannot open the AdaMerging coefficients</source>
        <translation>无法打开 AdaMerging 系数</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::MethodsPanel</name>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>λ sweep</source>
        <translation>λ 扫描</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Analysis</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>Task-vector similarity</source>
        <translation>任务向量相似度</translation>
    </message>
    <message>
        <source>Cosine similarity between the task vectors θt − θ0: vectors that point apart interfere when merged. One quick pass over the weights. Default on.</source>
        <translation>任务向量 θt − θ0 之间的余弦相似度：方向相背的向量在合并时会相互干扰。只需快速遍历一次权重。默认开启。</translation>
    </message>
    <message>
        <source>Test-time adaptation</source>
        <translation>测试时自适应</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Where merging and evaluation run: the CPU or a CUDA device. Default CPU.</source>
        <translation>合并与评测在哪里运行：CPU 或 CUDA 设备。默认 CPU。</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <source>Methods that learn on the pool&apos;s unlabeled test images before they are evaluated. Each runs as one job; its loss appears live on the Routing tab.</source>
        <translation>在评估前先在模型池的无标签测试图像上学习的方法。每个方法作为一个作业运行；其损失实时显示在“路由”标签页上。</translation>
    </message>
    <message>
        <source>Merges</source>
        <translation>合并方法</translation>
    </message>
    <message>
        <source>The references and the static merges: each checked method is one row of the accuracy table. Its parameters show while it is checked.</source>
        <translation>参照与静态合并：每个勾选的方法是准确率表中的一行。勾选时显示其参数。</translation>
    </message>
    <message>
        <source>Evaluate one method for every λ from..to by step and plot accuracy against λ, one line per task plus the average.</source>
        <translation>对一个方法在从起点到终点按步长的每个 λ 上评测，并绘制准确率随 λ 的变化，每个任务一条线，另加平均值。</translation>
    </message>
    <message>
        <source>The method whose λ is swept; its other parameters are the ones set for it under Merges.</source>
        <translation>被扫描 λ 的方法；其余参数取自“合并方法”中为它设置的值。</translation>
    </message>
    <message>
        <source>%1 Default: %2.</source>
        <translation>%1 默认值：%2。</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Merges that learn from data</source>
        <translation>从数据中学习的合并方法</translation>
    </message>
    <message>
        <source>Merges computed from a few images of each task (the pool&apos;s train_data, or its test images when allowed), without labels. Each checked method is one row of the accuracy table.</source>
        <translation>利用每个任务的少量图像（模型池的 train_data，或在允许时使用其测试图像）计算的合并，不需要标签。每个勾选的方法是准确率表中的一行。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::ParameterControl</name>
    <message>
        <source>%1 Default: %2. Command line: %3=…</source>
        <translation>%1 默认值：%2。命令行：%3=…</translation>
    </message>
    <message>
        <source>Takes %1 to %2.</source>
        <translation>取值范围：%1 到 %2。</translation>
    </message>
    <message>
        <source>Takes a whole number from 0 to 18446744073709551615.</source>
        <translation>取值为 0 到 18446744073709551615 之间的整数。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::PlotWidget</name>
    <message>
        <source>Export image…</source>
        <translation>导出图片…</translation>
    </message>
    <message>
        <source>Export data…</source>
        <translation>导出数据…</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)</source>
        <translation>PNG 图片 (*.png);;PDF 文档 (*.pdf);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Export plot data</source>
        <translation>导出图表数据</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Export image (PNG, PDF, SVG)…</source>
        <translation>导出图片（PNG、PDF、SVG）…</translation>
    </message>
    <message>
        <source>Export data (CSV)…</source>
        <translation>导出数据（CSV）…</translation>
    </message>
    <message>
        <source>%1 Save this plot as a PNG, PDF or SVG file.</source>
        <translation>%1 将此图保存为 PNG、PDF 或 SVG 文件。</translation>
    </message>
    <message>
        <source>%1 Save the plotted numbers as a CSV table.</source>
        <translation>%1 将绘制的数值保存为 CSV 表格。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::RecentFiles</name>
    <message>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>This file is not there any more.</source>
        <translation>此文件已不存在。</translation>
    </message>
    <message>
        <source>A saved session: its pool, settings and results.</source>
        <translation>已保存的会话：其模型池、设置和结果。</translation>
    </message>
    <message>
        <source>A model pool.</source>
        <translation>模型池。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::RoutingCapture</name>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>mean routing weight</source>
        <translation>平均路由权重</translation>
    </message>
    <message>
        <source>routing weight</source>
        <translation>路由权重</translation>
    </message>
    <message>
        <source>task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>share routed first to the own expert</source>
        <translation>首选自身专家的比例</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::RoutingPanel</name>
    <message>
        <source>The task whose test images the routing weights are averaged over.</source>
        <translation>对其测试图像求路由权重平均值的任务。</translation>
    </message>
    <message>
        <source>Routing weights appear here after a WEMoE run.</source>
        <translation>运行 WEMoE 后，路由权重会显示在这里。</translation>
    </message>
    <message>
        <source>The first-choice matrix appears here after a WEMoE run.</source>
        <translation>运行 WEMoE 后，首选矩阵会显示在这里。</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>任务：</translation>
    </message>
    <message>
        <source>Mean routing weight per layer and expert</source>
        <translation>每层每个专家的平均路由权重</translation>
    </message>
    <message>
        <source>First choice: share of a task&apos;s images routed first to its own expert</source>
        <translation>首选：任务图像首先路由到自身专家的比例</translation>
    </message>
    <message>
        <source>Rows: tasks; columns: layers. 1/experts means no preference; 1 means every image of the task picks its own task vector first.</source>
        <translation>行：任务；列：层。1/专家数 表示没有偏好；1 表示该任务的每张图像都首选自己的任务向量。</translation>
    </message>
    <message>
        <source>Adaptation loss</source>
        <translation>自适应损失</translation>
    </message>
    <message>
        <source>Entropy loss of the test-time adaptation against the step.</source>
        <translation>测试时自适应的熵损失随步数的变化。</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <source>The accuracy-table row whose evaluation recorded these routing weights.</source>
        <translation>记录了这些路由权重的评估所对应的准确率表格行。</translation>
    </message>
    <message>
        <source>Routing of %1</source>
        <translation>%1 的路由</translation>
    </message>
    <message>
        <source>deviation from λ₀</source>
        <translation>相对 λ₀ 的偏差</translation>
    </message>
    <message>
        <source>value (centred on 0)</source>
        <translation>数值（以 0 为中心）</translation>
    </message>
    <message>
        <source>deviation from the layer&apos;s mean</source>
        <translation>相对该层均值的偏差</translation>
    </message>
    <message>
        <source>What the colours of the routing-weight map measure: each weight&apos;s distance from the routers&apos; initial λ (λ₀), its value, or its distance from its layer&apos;s mean. Cells show the weights themselves.</source>
        <translation>路由权重图的颜色表示：每个权重与路由器初始 λ（λ₀）的距离、权重本身，或与其所在层均值的距离。格子中显示权重本身。</translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation>颜色：</translation>
    </message>
    <message>
        <source>Rows: transformer blocks; columns: experts (task vectors). Cells: the router&apos;s weight averaged over tokens and over the selected task&apos;s images. Colour: its distance from the chosen centre (by default the routers&apos; initial λ), blue below, white at it, red above, on a scale spanning the data&apos;s own range.</source>
        <translation>行：Transformer 块；列：专家（任务向量）。格子：路由器权重在词元和所选任务图像上的平均值。颜色：与所选中心（默认为路由器初始 λ）的距离，低于为蓝、等于为白、高于为红，色标覆盖数据本身的范围。</translation>
    </message>
    <message>
        <source>Smooths the loss curves by an exponential moving average: 0 shows the raw losses, 0.99 the slowest trend. The exported data stay raw.</source>
        <translation>用指数移动平均平滑损失曲线：0 显示原始损失，0.99 显示最平缓的趋势。导出的数据保持原始值。</translation>
    </message>
    <message>
        <source>Smoothing:</source>
        <translation>平滑：</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>The adaptation runs whose loss is plotted. One run shows its total and each task&apos;s loss; several are overlaid, each run&apos;s total in its own colour. The newest run is shown while it adapts.</source>
        <translation>绘制其损失的自适应运行。选一个运行时显示其总损失和各任务的损失；选多个时叠加显示，每个运行的总损失用各自的颜色。自适应进行中显示最新的运行。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::RunPicker</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Newest only (follows new runs)</source>
        <translation>仅最新（跟随新的运行）</translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1（%2/%3）</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::StartPage</name>
    <message>
        <source>WEMoE Studio</source>
        <translation>WEMoE Studio</translation>
    </message>
    <message>
        <source>Merges fine-tuned copies of one CLIP vision transformer into one model that serves all their tasks, compares the merging methods task by task, and shows how WEMoE routes every image. Start with the demo: it needs no download.</source>
        <translation>将同一个 CLIP 视觉 Transformer 的多个微调副本合并为一个能完成所有任务的模型，逐任务比较各种合并方法，并展示 WEMoE 如何为每张图像路由。从演示开始吧：无需下载任何东西。</translation>
    </message>
    <message>
        <source>Open a pool or session…</source>
        <translation>打开模型池或会话…</translation>
    </message>
    <message>
        <source>A pool file (pool.json, or a folder holding one) or a saved session (Ctrl+O). Files and folders can also be dropped on the window.</source>
        <translation>模型池文件（pool.json 或包含它的文件夹）或已保存的会话（Ctrl+O）。也可以把文件和文件夹拖放到窗口上。</translation>
    </message>
    <message>
        <source>Import a FusionBench pool…</source>
        <translation>导入 FusionBench 模型池…</translation>
    </message>
    <message>
        <source>A FusionBench CLIP model-pool YAML: its models are found in the Hugging Face cache, its test images in a data folder beside it.</source>
        <translation>FusionBench CLIP 模型池 YAML：其模型从 Hugging Face 缓存中查找，测试图像从其旁边的数据文件夹中读取。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Recent</source>
        <translation>最近</translation>
    </message>
    <message>
        <source>Pools</source>
        <translation>模型池</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Open the demo (quick zoo, %1)</source>
        <translation>打开演示（快速模型库，%1）</translation>
    </message>
    <message>
        <source>A tiny CLIP-layout model fine-tuned on eight small datasets, trained briefly: every method and view to try. %1</source>
        <translation>一个 CLIP 结构的微型模型，在八个小数据集上做了简短微调：可试用所有方法和视图。%1</translation>
    </message>
    <message>
        <source>Open the full demo (%1)</source>
        <translation>打开完整演示（%1）</translation>
    </message>
    <message>
        <source>The same eight tasks with more images and longer training: clearer differences between the methods. %1</source>
        <translation>同样的八个任务，图像更多、训练更久：各方法之间的差异更明显。%1</translation>
    </message>
    <message>
        <source>None yet: the pools you open are listed here.</source>
        <translation>暂无：打开过的模型池会列在这里。</translation>
    </message>
    <message>
        <source>None yet: sessions you save or open are listed here.</source>
        <translation>暂无：保存或打开过的会话会列在这里。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::StudioApp</name>
    <message>
        <source>WEMoE Studio: merge fine-tuned CLIP vision transformers and see how they merge.</source>
        <translation>WEMoE 工作室：合并微调后的 CLIP 视觉 Transformer，并观察合并效果。</translation>
    </message>
    <message>
        <source>wemoe-studio: expected at most one pool</source>
        <translation>wemoe-studio：最多只能指定一个模型池</translation>
    </message>
    <message>
        <source>A model pool file (JSON, or a FusionBench model-pool YAML; or a folder holding pool.json), or a saved session, to open.</source>
        <translation>要打开的模型池文件（JSON，或 FusionBench 模型池 YAML；或包含 pool.json 的文件夹），或已保存的会话。</translation>
    </message>
    <message>
        <source>Open the demo zoo (a tiny model fine-tuned on eight small datasets; built once, with progress, into the cache folder: about %1 min on two cores).</source>
        <translation>打开演示模型库（在八个小数据集上微调的微型模型；首次构建到缓存文件夹中并显示进度：双核机器上约 %1 分钟）。</translation>
    </message>
    <message>
        <source>With --demo or --screenshot: use the quick demo zoo (smaller; the first time it is built, in about %1 s on two cores).</source>
        <translation>与 --demo 或 --screenshot 一起使用：使用快速演示模型库（更小；首次构建在双核机器上约需 %1 秒）。</translation>
    </message>
    <message>
        <source>Run the methods as last set (Run, F5) once POOL or the demo zoo is open.</source>
        <translation>POOL 或演示模型库打开后，按上次的设置运行各方法（运行，F5）。</translation>
    </message>
    <message>
        <source>wemoe-studio: --run needs a POOL or --demo</source>
        <translation>wemoe-studio：--run 需要 POOL 或 --demo</translation>
    </message>
    <message>
        <source>Open POOL (or the demo zoo), run the configured jobs, WEMoE and layer-wise AdaMerging, write PNG screenshots of the main views into DIR and exit.</source>
        <translation>打开 POOL（或演示模型库），运行已配置的作业、WEMoE 和按层 AdaMerging，将主要视图的 PNG 截图写入 DIR 后退出。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::StudioSession</name>
    <message>
        <source>Session saved: %1</source>
        <translation>会话已保存：%1</translation>
    </message>
    <message>
        <source>Session opened: %1</source>
        <translation>会话已打开：%1</translation>
    </message>
    <message>
        <source>The session&apos;s pool %1 is not there: its results are shown, but nothing can be rerun or exported until a pool is opened.</source>
        <translation>会话的模型池 %1 不存在：会显示其结果，但在打开模型池之前无法重新运行或导出。</translation>
    </message>
    <message>
        <source>Cannot autosave the session: %1</source>
        <translation>无法自动保存会话：%1</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::SweepPanel</name>
    <message numerus="yes">
        <source>%1 — partial (%n point(s))</source>
        <translation>
            <numerusform>%1 — 未完成（%n 个点）</numerusform>
        </translation>
    </message>
    <message>
        <source>Sweeps</source>
        <translation>扫描记录</translation>
    </message>
    <message>
        <source>The λ sweeps to show. One sweep shows each task&apos;s accuracy and the average; several are compared on one axis by their average accuracy, each in its own colour. The newest sweep is shown while it is measured.</source>
        <translation>要显示的 λ 扫描。选一个扫描时显示各任务的准确率和平均值；选多个时在同一坐标轴上按平均准确率比较，各用自己的颜色。测量进行中显示最新的扫描。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::SweepPlot</name>
    <message>
        <source>Accuracy against the scaling factor λ appears here once a λ sweep has measured its first point.
Check &quot;λ sweep&quot; in the methods panel and press Run (F5).</source>
        <translation>λ 扫描测得第一个点后，这里会显示准确率随缩放系数 λ 的变化。
请在方法面板中勾选“λ 扫描”并按“运行”（F5）。</translation>
    </message>
    <message>
        <source>average</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>scaling factor λ</source>
        <translation>缩放系数 λ</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>best average: λ=%1 (%2 %)</source>
        <translation>平均最佳：λ=%1（%2 %）</translation>
    </message>
    <message>
        <source>average accuracy over the tasks (%)</source>
        <translation>各任务平均准确率（%）</translation>
    </message>
    <message>
        <source>λ sweeps</source>
        <translation>λ 扫描</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::TaskVectorPanel</name>
    <message>
        <source>The cosine similarity of the task vectors appears here after a run with &quot;Task-vector similarity&quot; checked.</source>
        <translation>勾选“任务向量相似度”并运行后，任务向量的余弦相似度会显示在这里。</translation>
    </message>
    <message>
        <source>Cosine similarity of the task vectors τt = θt − θ0. Near 0: the tasks changed different directions of the weights; negative: they pulled against each other, which is what merging has to reconcile.</source>
        <translation>任务向量 τt = θt − θ0 的余弦相似度。接近 0：各任务改变了权重的不同方向；为负：它们相互拉扯，这正是合并需要调和的。</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::WorkspaceController</name>
    <message>
        <source>Load pool %1</source>
        <translation>加载模型池 %1</translation>
    </message>
    <message>
        <source>Inspect model %1</source>
        <translation>检查模型 %1</translation>
    </message>
    <message>
        <source>same architecture as the pool&apos;s pretrained model</source>
        <translation>与模型池的预训练模型结构相同</translation>
    </message>
    <message>
        <source>Prepare the quick demo zoo</source>
        <translation>准备快速演示模型库</translation>
    </message>
    <message>
        <source>Prepare the demo zoo</source>
        <translation>准备演示模型库</translation>
    </message>
</context>
<context>
    <name>wemoe::ui::WorkspacePanel</name>
    <message>
        <source>%1 M parameters</source>
        <translation>%1 M 参数</translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation>%1 个参数</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>No pool open. Open a pool file (Ctrl+O) or drop one on the window.</source>
        <translation>尚未打开模型池。请打开模型池文件（Ctrl+O）或将其拖放到窗口上。</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Right-click an item to copy its path or open its folder.</source>
        <translation>右键单击项目可复制其路径或打开其所在文件夹。</translation>
    </message>
    <message>
        <source>Loading %1 …</source>
        <translation>正在加载 %1 …</translation>
    </message>
    <message>
        <source>%1
%2, %3 tensors</source>
        <translation>%1
%2，%3 个张量</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2</translation>
    </message>
    <message numerus="yes">
        <source>%n task(s)</source>
        <translation>
            <numerusform>%n 个任务</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s) while loading: see the log</source>
        <translation>
            <numerusform>加载时有 %n 条警告：请查看日志</numerusform>
        </translation>
    </message>
    <message>
        <source>pretrained</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>tasks</source>
        <translation>任务</translation>
    </message>
    <message numerus="yes">
        <source>%n class(es)</source>
        <translation>
            <numerusform>%n 个类别</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n test image(s)</source>
        <translation>
            <numerusform>%n 张测试图像</numerusform>
        </translation>
    </message>
    <message>
        <source>checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>head</source>
        <translation>分类头</translation>
    </message>
    <message numerus="yes">
        <source>%1 head, %n class(es)</source>
        <translation>
            <numerusform>%1 分类头，%n 个类别</numerusform>
        </translation>
    </message>
    <message>
        <source>test images</source>
        <translation>测试图像</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <source>inspected models</source>
        <translation>已检查的模型</translation>
    </message>
    <message>
        <source>Model folders dropped on the window, compared with the pool&apos;s pretrained model.</source>
        <translation>拖放到窗口上的模型文件夹，已与模型池的预训练模型比较。</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message numerus="yes">
        <source>Parquet, %n file(s)</source>
        <translation>
            <numerusform>Parquet，%n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <source>image folder</source>
        <translation>图像文件夹</translation>
    </message>
    <message>
        <source>source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>classes</source>
        <translation>类别</translation>
    </message>
    <message numerus="yes">
        <source>%n class(es):</source>
        <translation>
            <numerusform>%n 个类别：</numerusform>
        </translation>
    </message>
    <message>
        <source>training images</source>
        <translation>训练图像</translation>
    </message>
    <message>
        <source>problem</source>
        <translation>有问题</translation>
    </message>
</context>
</TS>
