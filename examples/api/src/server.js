// The inventory API.
import express from 'express';
import { stockRouter } from './routes/stock.js';

const app = express();
app.use(express.json({ limit: '100kb' }));
app.use('/api/stock', stockRouter);

app.listen(process.env.PORT ?? 4000, () => console.log('inventory API listening'));
