// Stock levels come from the warehouse system over the internal network.
import { Router } from 'express';
import axios from 'axios';

export const stockRouter = Router();

stockRouter.get('/:sku', async (req, res) => {
  const { data } = await axios.get(`http://warehouse.acme-internal.example/stock/${encodeURIComponent(req.params.sku)}`);
  res.json({ count: data.available });
});
