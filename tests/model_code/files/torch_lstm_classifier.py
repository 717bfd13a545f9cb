"""A text classifier: Embedding, an LSTM whose tuple is unpacked, a GRU on its sequence, a linear head."""
import torch
import torch.nn as nn

VOCAB = 2000
SEQ_LEN = 40


class LSTMClassifier(nn.Module):
    def __init__(self, embed_dim=64, hidden=48, classes=4):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden, num_layers=2, batch_first=True, dropout=0.1)
        self.gru = nn.GRU(hidden, hidden // 2, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(hidden * SEQ_LEN, classes)

    def forward(self, tokens):
        x = self.embedding(tokens)
        out, (h_n, c_n) = self.lstm(x)
        out, h = self.gru(out)
        out = self.dropout(out)
        return self.fc(out.reshape(out.size(0), -1))


# layerplan: input 40
model = LSTMClassifier()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
